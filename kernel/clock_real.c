/* CLOCK_REALTIME: the TSC disciplined to the host's time (clock_host.c), else the RTC's seconds.
 *
 * The first read takes the host's time (the quickest of three round trips) or,
 * without skiff run's time service, kvmclock's wall time under KVM (clock_kvm.c,
 * untested here), else the RTC's whole second. A host sample says the host's clock
 * read host_ns at some moment between the request and the answer; the guest takes
 * host_ns as the time the answer came in, so it lags by at most the one-way delay and
 * is never ahead. Until the TSC's rate is measured the clock runs 2% slow. Later
 * reads resync after 0.1, 0.2, 0.4 ... 6.4 s, then every 8 s: the rate is
 * re-estimated from the first sample to the latest (its error shrinks as the span
 * grows; the low end of its range is used), and the remaining offset is slewed out at
 * 1% of the rate, after which the clock runs at the estimated rate. It never steps
 * (unless it is off by over a second: the host's own clock was set). A sample whose
 * round trip is much longer than the best seen (a busy host) is dropped and tried
 * again 100 ms later. A resync busy-waits three round trips (well under a millisecond
 * each on an idle host) with interrupts on; an answer later than 5 ms is abandoned. */
#include <skiff/clock.h>
#include <skiff/sync.h>
#include "clock_internal.h"
#include "cpu.h"

#define NS 1000000000ULL
#define FIRST_WAIT_NS 200000000ULL
#define RESYNC_WAIT_NS 5000000ULL
#define SAMPLES 3
#define RETRY_NS 100000000ULL
#define FIRST_INTERVAL_NS (NS / 10)
#define MAX_INTERVAL_NS (8 * NS)
#define STEP_NS ((int64_t)NS)

static int ready, disciplined, anchored, syncing;
static uint64_t base_tsc, base_ns;  /* the clock read base_ns at base_tsc */
static uint64_t slew_mult;          /* ns per tick << 32 until slew_end_tsc */
static uint64_t rate_mult;          /* ns per tick << 32 after it */
static uint64_t slew_end_tsc;
static uint64_t first_tsc, first_ns, first_rtt, best_rtt, interval_ns, next_sync_tsc;

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
	if (!anchored) {
		/* The TSC rate calibrated against the PIT may be a fraction of a percent
		 * off (more on a busy host): run 2% slow until the first resync measures
		 * it, so as to lag the host, not lead it. */
		slew_mult = rate_mult = (NS << 32) / clock_tsc_hz();
		slew_mult = rate_mult -= rate_mult / 50;
	}
	anchored = 1;
	base_tsc = first_tsc = slew_end_tsc = s->tsc;
	base_ns = first_ns = s->host_ns;
	best_rtt = first_rtt = s->rtt_ticks;
	interval_ns = FIRST_INTERVAL_NS;
	next_sync_tsc = s->tsc + ns_to_ticks(interval_ns);
}

/* The quickest of `tries` round trips (the one that says the most); 0, or -1 if none came back. */
static int best_sample(int tries, uint64_t wait_ns, struct host_clock_sample *best)
{
	struct host_clock_sample s;
	best->tsc = 0;
	for (int i = 0; i < tries; i++)
		if (host_clock_sample(wait_ns, &s) == 0 &&
		    (!best->tsc || s.rtt_ticks < best->rtt_ticks))
			*best = s;
	return best->tsc ? 0 : -1;
}

static void start(void)
{
	struct host_clock_sample best;
	best_sample(SAMPLES, FIRST_WAIT_NS, &best);
	slew_mult = rate_mult = (NS << 32) / clock_tsc_hz();
	base_tsc = slew_end_tsc = rdtsc();
	if (best.tsc) {
		restart(&best);
	} else if (kvmclock_wall_sample(&best) == 0) {
		restart(&best);  /* KVM without the service: kvmclock's wall time, once */
		anchored = 0;
	} else {
		base_ns = (uint64_t)rtc_read_epoch() * NS;
	}
	if (host_clock_present()) {
		disciplined = 1;
		if (!anchored) /* the service is there but slow: try again soon */
			interval_ns = FIRST_INTERVAL_NS, next_sync_tsc = base_tsc;
	}
	ready = 1;
}

static void resync(int got, struct host_clock_sample s)
{
	/* A slow answer is dropped unless the last one taken is getting old. */
	if (got != 0 ||
	    (s.rtt_ticks > 2 * best_rtt + ns_to_ticks(100000) &&
	     s.tsc - base_tsc < 2 * ns_to_ticks(interval_ns))) {
		best_rtt += best_rtt / 8; /* let it follow a host that stays busy */
		next_sync_tsc = rdtsc() + ns_to_ticks(RETRY_NS);
		return;
	}
	if (!anchored) {
		restart(&s); /* the first answer: step to it, once */
		return;
	}
	if (s.rtt_ticks < best_rtt)
		best_rtt = s.rtt_ticks;
	uint64_t ours = at(s.tsc);
	int64_t err = (int64_t)(s.host_ns - ours);
	/* The new line starts now, from the old line's value now (taken before the rate
	 * changes): readers during the round trips (interrupts were on) saw the old line,
	 * and none may see less. */
	uint64_t now = rdtsc(), now_ns = at(now);
	if (err > STEP_NS || err < -STEP_NS) {
		restart(&s); /* the host's clock was set: start over */
		return;
	}
	/* Each sample lags the host by its one-way delay d (0 <= d <= its round trip).
	 * The clock after this resync is host - d + (d0 - d) * t / span, t since now: it
	 * could lead the host only through the first sample's delay d0 <= rtt0, so the
	 * rate is lowered by rtt0 / span (t <= span: intervals at most double). */
	uint64_t span = s.tsc - first_tsc;
	uint64_t rate = (uint64_t)(((unsigned __int128)(s.host_ns - first_ns) << 32) / span);
	rate_mult = rate - (uint64_t)((unsigned __int128)rate * first_rtt / span);
	/* Slew the offset out at 1% of the rate (faster than that only if it must be done
	 * within the interval). */
	uint64_t mag = err < 0 ? (uint64_t)-err : (uint64_t)err;
	uint64_t slew_ns = mag * 100 > interval_ns ? interval_ns : mag * 100;
	uint64_t slew_ticks = ns_to_ticks(slew_ns ? slew_ns : 1);
	__int128 slope = (__int128)rate_mult + ((__int128)err << 32) / (__int128)slew_ticks;
	if (slope < (__int128)(rate_mult / 2))
		slope = rate_mult / 2;
	if (slope > (__int128)rate_mult * 2)
		slope = (__int128)rate_mult * 2;
	base_ns = now_ns;
	base_tsc = now;
	slew_mult = (uint64_t)slope;
	slew_end_tsc = now + slew_ticks;
	if (interval_ns < MAX_INTERVAL_NS)
		interval_ns *= 2;
	next_sync_tsc = s.tsc + ns_to_ticks(interval_ns);
}

uint64_t clock_realtime_ns(void)
{
	unsigned long f = irq_save();
	if (!ready)
		start();
	uint64_t now = rdtsc();
	if (disciplined && !syncing && (int64_t)(now - next_sync_tsc) >= 0) {
		/* Ask the host with interrupts on; meanwhile other readers use the old line. */
		struct host_clock_sample s;
		syncing = 1;
		irq_restore(f);
		int got = best_sample(SAMPLES, RESYNC_WAIT_NS, &s);
		f = irq_save();
		resync(got, s);
		syncing = 0;
		now = rdtsc();
	}
	uint64_t ns = at(now);
	irq_restore(f);
	return ns;
}
