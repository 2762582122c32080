/* kvmclock wall time (KVM only): the host's time of day at one TSC value, for boots without skiff run's time service.
 *
 * UNTESTED HERE: this project's machines have no usable KVM, so only the "not KVM"
 * answer is exercised. Kept small and apart on purpose. Protocol (Linux's
 * Documentation/virt/kvm/x86/msr.rst): MSR_KVM_WALL_CLOCK_NEW takes the physical
 * address of {version, sec, nsec}: the wall time when kvmclock's system time was 0;
 * MSR_KVM_SYSTEM_TIME_NEW takes a pvclock area (bit 0 enables it) whose system_time,
 * tsc_timestamp, mul and shift give the system time at any TSC. An odd or changed
 * version means the host was writing: read again. Kernel memory is identity-mapped,
 * so a static's address is its physical address. */
#include "clock_internal.h"
#include "cpu.h"

#define MSR_KVM_WALL_CLOCK_NEW 0x4b564d00
#define MSR_KVM_SYSTEM_TIME_NEW 0x4b564d01
#define KVM_FEATURE_CLOCKSOURCE2 (1U << 3)

struct pvclock_time {
	volatile uint32_t version, pad0;
	volatile uint64_t tsc_timestamp, system_time;
	volatile uint32_t mul;
	volatile int8_t shift;
	volatile uint8_t flags, pad[2];
} __attribute__((packed, aligned(64)));

struct pvclock_wall {
	volatile uint32_t version, sec, nsec;
} __attribute__((aligned(16)));

int kvmclock_present(void)
{
	uint32_t a, b, c, d;
	cpuid(1, 0, &a, &b, &c, &d);
	if (!(c & (1U << 31)))
		return 0;
	cpuid(0x40000000, 0, &a, &b, &c, &d);
	if (b != 0x4b4d564b || c != 0x564b4d56 || d != 0x4d) /* "KVMKVMKVM\0\0\0" */
		return 0;
	cpuid(0x40000001, 0, &a, &b, &c, &d);
	return (a & KVM_FEATURE_CLOCKSOURCE2) != 0;
}

int kvmclock_wall_sample(struct host_clock_sample *out)
{
	static struct pvclock_time pv;
	static struct pvclock_wall wall;
	if (!kvmclock_present())
		return -1;
	wrmsr(MSR_KVM_SYSTEM_TIME_NEW, (uint64_t)&pv | 1);
	wrmsr(MSR_KVM_WALL_CLOCK_NEW, (uint64_t)&wall);
	uint32_t v, wv;
	uint64_t tsc, system_ns, wall_ns;
	int tries = 0;
	do {
		if (++tries > 1000000)
			return -1;
		v = pv.version;
		__asm__ volatile("" ::: "memory");
		tsc = rdtsc();
		uint64_t delta = tsc - pv.tsc_timestamp;
		int shift = pv.shift;
		delta = shift >= 0 ? delta << shift : delta >> -shift;
		system_ns = pv.system_time + (uint64_t)(((unsigned __int128)delta * pv.mul) >> 32);
		__asm__ volatile("" ::: "memory");
	} while ((v & 1) || v != pv.version);
	do {
		if (++tries > 2000000)
			return -1;
		wv = wall.version;
		__asm__ volatile("" ::: "memory");
		wall_ns = (uint64_t)wall.sec * 1000000000ULL + wall.nsec;
		__asm__ volatile("" ::: "memory");
	} while ((wv & 1) || wv != wall.version);
	wrmsr(MSR_KVM_SYSTEM_TIME_NEW, 0); /* read once: the TSC carries on from here */
	if (!wall.sec)
		return -1;
	out->tsc = tsc;
	out->rtt_ticks = 0;
	out->host_ns = wall_ns + system_ns;
	return 0;
}
