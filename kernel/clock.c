/* Clocks: TSC frequency from CPUID, kvmclock or the PIT (on first use), LAPIC timer rate, CLOCK_MONOTONIC. */
#include <skiff/clock.h>
#include <skiff/console.h>
#include "clock_internal.h"
#include "cpu.h"
#include "lapic.h"

extern uint64_t boot_tsc0;

static uint64_t tsc_hz;
static uint64_t ns_mult;      /* ns = ticks * ns_mult >> 32 */
static uint64_t lapic_mult;   /* lapic ticks = ns * lapic_mult >> 32 */
static uint64_t lapic_hz;
static const char *tsc_source = "none";

static uint64_t mul_shr32(uint64_t a, uint64_t b)
{
	return (uint64_t)(((unsigned __int128)a * b) >> 32);
}

static uint64_t tsc_from_cpuid(void)
{
	uint32_t a, b, c, d;
	cpuid(0, 0, &a, &b, &c, &d);
	if (a >= 0x15) {
		cpuid(0x15, 0, &a, &b, &c, &d);
		if (a && b && c)
			return (uint64_t)c * b / a;
	}
	cpuid(1, 0, &a, &b, &c, &d);
	if (!(c & (1U << 31)))
		return 0; /* no hypervisor */
	cpuid(0x40000000, 0, &a, &b, &c, &d);
	if (a >= 0x40000010) {
		cpuid(0x40000010, 0, &a, &b, &c, &d);
		if (a)
			return (uint64_t)a * 1000; /* kHz */
	}
	return 0;
}

struct pvclock {
	uint32_t version, pad0;
	uint64_t tsc_timestamp, system_time;
	uint32_t mul;
	int8_t shift;
	uint8_t flags, pad[2];
} __attribute__((packed, aligned(64)));

static uint64_t tsc_from_kvmclock(void)
{
	static struct pvclock pv;
	if (!kvmclock_present())
		return 0;
	wrmsr(0x4b564d01, (uint64_t)&pv | 1);
	while (pv.version == 0 || (pv.version & 1))
		pause();
	uint64_t mul = pv.mul;
	int shift = pv.shift;
	wrmsr(0x4b564d01, 0);
	if (!mul)
		return 0;
	uint64_t hz = (1000000000ULL << 32) / mul;
	return shift >= 0 ? hz >> shift : hz << -shift;
}

static uint16_t pit_read(void)
{
	io_out8(0x43, 0x00); /* latch channel 0 */
	return io_in8(0x40) | (uint16_t)io_in8(0x40) << 8;
}

/* A PIT reading and the TSC at it: the reading is bracketed by two TSC reads and taken
 * again if they are far apart (the vCPU lost the host CPU in between: under TCG on a
 * busy host that alone can be a 3% error in a 10 ms calibration). */
static uint16_t pit_read_at(uint64_t *tsc)
{
	uint64_t best = ~0ULL;
	uint16_t v = 0;
	for (int i = 0; i < 20; i++) {
		uint64_t a = rdtsc();
		uint16_t r = pit_read();
		uint64_t b = rdtsc();
		if (b - a < best) {
			best = b - a;
			v = r;
			*tsc = a + (b - a) / 2;
		}
		if (best < 20000) /* ~10 us at 2 GHz */
			break;
	}
	return v;
}

/* Count PIT channel 0 (1.193182 MHz) for ~10 ms against the TSC and the LAPIC timer. */
static uint64_t tsc_from_pit(uint64_t *lapic_ticks_out)
{
	const uint32_t want = 11932; /* 10 ms of PIT ticks */
	io_out8(0x43, 0x34);            /* channel 0, lo/hi, mode 2, binary */
	io_out8(0x40, 0);
	io_out8(0x40, 0);
	lapic_timer_start_masked(); /* counts down while masked */
	uint32_t l0 = lapic_timer_current();
	uint64_t t0, t1;
	uint16_t first = pit_read_at(&t0), prev = first;
	uint32_t elapsed = 0;
	for (unsigned long spins = 0; elapsed < want; spins++) {
		uint16_t cur = pit_read();
		elapsed += (uint16_t)(prev - cur);
		prev = cur;
		if (spins > 50000000UL)
			return 0; /* no PIT */
	}
	uint16_t last = pit_read_at(&t1);
	elapsed += (uint16_t)(prev - last);
	uint32_t l1 = lapic_timer_current();
	lapic_timer_oneshot(0);
	uint64_t ns = (uint64_t)elapsed * 1000000000ULL / 1193182;
	*lapic_ticks_out = (uint64_t)(l0 - l1) * 1000000000ULL / ns;
	return (t1 - t0) * 1000000000ULL / ns;
}

/* LAPIC timer rate measured against the (known) TSC over ~1 ms. */
static uint64_t lapic_from_tsc(void)
{
	lapic_timer_start_masked();
	uint32_t l0 = lapic_timer_current();
	uint64_t t0 = rdtsc(), span = tsc_hz / 1000;
	while (rdtsc() - t0 < span)
		pause();
	uint32_t l1 = lapic_timer_current();
	uint64_t t1 = rdtsc();
	lapic_timer_oneshot(0);
	return (uint64_t)(l0 - l1) * tsc_hz / (t1 - t0);
}

static void calibrate(void)
{
	uint64_t lapic_pit = 0;
	if ((tsc_hz = tsc_from_cpuid()))
		tsc_source = "cpuid";
	else if ((tsc_hz = tsc_from_kvmclock()))
		tsc_source = "kvmclock";
	else if ((tsc_hz = tsc_from_pit(&lapic_pit)))
		tsc_source = "pit";
	if (!tsc_hz) {
		tsc_hz = 1000000000ULL;
		tsc_source = "assumed 1 GHz";
		klog("skiff: warning: no way to calibrate the TSC; assuming 1 GHz\n");
	}
	lapic_hz = lapic_pit ? lapic_pit : lapic_from_tsc();
	if (!lapic_hz)
		lapic_hz = 1000000000ULL;
	ns_mult = (1000000000ULL << 32) / tsc_hz;
	lapic_mult = (lapic_hz << 32) / 1000000000ULL;
}

uint64_t clock_tsc_hz(void)
{
	if (!tsc_hz)
		calibrate();
	return tsc_hz;
}

const char *clock_tsc_source(void)
{
	clock_tsc_hz();
	return tsc_source;
}

uint64_t clock_ticks_to_ns(uint64_t ticks)
{
	clock_tsc_hz();
	return mul_shr32(ticks, ns_mult);
}

uint64_t clock_monotonic_ns(void)
{
	clock_tsc_hz();
	return mul_shr32(rdtsc() - boot_tsc0, ns_mult);
}

uint32_t clock_ns_to_lapic(uint64_t ns)
{
	clock_tsc_hz();
	uint64_t t = mul_shr32(ns, lapic_mult);
	if (t > 0xffffffffULL)
		t = 0xffffffffULL;
	return t ? (uint32_t)t : 1;
}
