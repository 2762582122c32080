/* CLOCK_REALTIME: the TSC disciplined to the host's time (clock_host.c), else the RTC's seconds.
 *
 * The first read takes the host's time (the best of three round trips) or, without
 * skiff run's time service, the RTC's whole second. A host sample says the host's clock
 * read host_ns at some moment between the request and the answer; the guest takes
 * host_ns as the time the answer came in, so it lags by at most the one-way delay and
 * is never ahead. Later reads resync after 1, 2, 4, then every 8 s: the rate is
 * re-estimated from the first sample to the latest (its error shrinks as the span
 * grows), and the remaining offset is slewed out over the next interval, after which
 * the clock runs at the estimated rate; it never steps (unless it is off by over a
 * second: the host's own clock was set). A sample whose round trip is much longer than
 * the best seen (a busy host) is dropped and tried again 100 ms later. A resync
 * busy-waits one round trip with interrupts off (well under a millisecond on an idle
 * host); an answer later than 5 ms is abandoned. */
#include <skiff/clock.h>
#include <skiff/sync.h>
#include "clock_internal.h"
#include "cpu.h"

#define NS 1000000000ULL
#define FIRST_WAIT_NS 20000000ULL
#define RESYNC_WAIT_NS 5000000ULL
#define RETRY_NS 100000000ULL
#define FIRST_INTERVAL_NS NS
#define MAX_INTERVAL_NS (8 * NS)
#define STEP_NS ((int64_t)NS)

static int ready, disciplined;
static uint64_t base_tsc, base_ns;  /* the clock read base_ns at base_tsc */
static uint64_t slew_mult;          /* ns per tick << 32 until slew_end_tsc */
static uint64_t rate_mult;          /* ns per tick << 32 after it */
static uint64_t slew_end_tsc;
static uint64_t first_tsc, first_ns, best_rtt, interval_ns, next_sync_tsc;

static uint64_t scale(uint64_t ticks, uint64_t mult)
{
	return (uint64_t)(((unsigned __int128)ticks * mult) >> 32);
}

static uint64_t at(uint64_t tsc)
{
	if ((int64_t)(tsc - base_tsc) < 0)
		tsc = base_tsc; /* a TSC read before the last resync: the clock's value there */
	if ((int64_t)(tsc - slew_end_tsc) <= 0)
		return base_ns + scale(tsc - base_tsc, slew_mult);
	return base_ns + scale(slew_end_tsc - base_tsc, slew_mult) +
	       scale(tsc - slew_end_tsc, rate_mult);
}

static uint64_t ns_to_ticks(uint64_t ns)
{
	return (uint64_t)((unsigned __int128)ns * clock_tsc_hz() / NS);
}

static void restart(const struct host_clock_sample *s)
{
	base_tsc = first_tsc = slew_end_tsc = s->tsc;
	base_ns = first_ns = s->host_ns;
	best_rtt = s->rtt_ticks;
	interval_ns = FIRST_INTERVAL_NS;
	next_sync_tsc = s->tsc + ns_to_ticks(interval_ns);
}

static void start(void)
{
	struct host_clock_sample best = { 0 }, s;
	for (int i = 0; i < 3; i++)
		if (host_clock_sample(FIRST_WAIT_NS, &s) == 0 &&
		    (!best.tsc || s.rtt_ticks < best.rtt_ticks))
			best = s;
	slew_mult = rate_mult = (NS << 32) / clock_tsc_hz();
	if (best.tsc) {
		disciplined = 1;
		restart(&best);
	} else {
		base_tsc = slew_end_tsc = rdtsc();
		base_ns = (uint64_t)rtc_read_epoch() * NS;
	}
	ready = 1;
}

static void resync(void)
{
	struct host_clock_sample s;
	if (host_clock_sample(RESYNC_WAIT_NS, &s) != 0 ||
	    s.rtt_ticks > 2 * best_rtt + ns_to_ticks(100000)) {
		best_rtt += best_rtt / 8; /* let it follow a host that stays busy */
		next_sync_tsc = rdtsc() + ns_to_ticks(RETRY_NS);
		return;
	}
	if (s.rtt_ticks < best_rtt)
		best_rtt = s.rtt_ticks;
	uint64_t ours = at(s.tsc);
	int64_t err = (int64_t)(s.host_ns - ours);
	if (err > STEP_NS || err < -STEP_NS) {
		restart(&s); /* the host's clock was set: start over */
		return;
	}
	rate_mult = (uint64_t)(((unsigned __int128)(s.host_ns - first_ns) << 32) /
			       (s.tsc - first_tsc));
	if (interval_ns < MAX_INTERVAL_NS)
		interval_ns *= 2;
	uint64_t ticks = ns_to_ticks(interval_ns);
	__int128 slope = (__int128)rate_mult + ((__int128)err << 32) / (__int128)ticks;
	if (slope < (__int128)(rate_mult / 2))
		slope = rate_mult / 2;
	if (slope > (__int128)rate_mult * 2)
		slope = (__int128)rate_mult * 2;
	base_tsc = s.tsc;
	base_ns = ours;
	slew_mult = (uint64_t)slope;
	slew_end_tsc = next_sync_tsc = s.tsc + ticks;
}

uint64_t clock_realtime_ns(void)
{
	unsigned long f = irq_save();
	if (!ready)
		start();
	uint64_t now = rdtsc();
	if (disciplined && (int64_t)(now - next_sync_tsc) >= 0) {
		resync();
		now = rdtsc();
	}
	uint64_t ns = at(now);
	irq_restore(f);
	return ns;
}
