/* Clocks and sleeps: clock_gettime, gettimeofday, nanosleep, sleep, times (the main thread's sleeps end early for a signal handler: EINTR). */
#include <errno.h>
#include <sched.h>
#include <stdint.h>
#include <sys/time.h>
#include <sys/times.h>
#include <time.h>
#include <unistd.h>

#include "shim.h"
#include "sigstate.h"

#define NS_PER_SEC 1000000000ULL

static int valid_timespec(const struct timespec *ts)
{
	return ts->tv_sec >= 0 && ts->tv_nsec >= 0 && ts->tv_nsec < (long)NS_PER_SEC;
}

static uint64_t timespec_to_ns(const struct timespec *ts)
{
	if ((uint64_t)ts->tv_sec >= UINT64_MAX / NS_PER_SEC - 1)
		return UINT64_MAX;
	return (uint64_t)ts->tv_sec * NS_PER_SEC + (uint64_t)ts->tv_nsec;
}

static void ns_to_timespec(uint64_t ns, struct timespec *ts)
{
	ts->tv_sec = (time_t)(ns / NS_PER_SEC);
	ts->tv_nsec = (long)(ns % NS_PER_SEC);
}

/* Which kernel clock a clockid reads: 'm'onotonic, 'r'ealtime or 0. */
static int clock_kind(clockid_t clk)
{
	switch (clk) {
	case CLOCK_MONOTONIC:
#ifdef CLOCK_BOOTTIME /* the GNU aliases, when <time.h> shows them */
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_MONOTONIC_COARSE:
	case CLOCK_BOOTTIME:
#endif
		return 'm';
	case CLOCK_REALTIME:
#ifdef CLOCK_REALTIME_COARSE
	case CLOCK_REALTIME_COARSE:
#endif
		return 'r';
	default:
		return 0;
	}
}

int clock_gettime(clockid_t clk, struct timespec *ts)
{
	switch (clock_kind(clk)) {
	case 'm':
		ns_to_timespec(clock_monotonic_ns(), ts);
		return 0;
	case 'r':
		ns_to_timespec(clock_realtime_ns(), ts);
		return 0;
	}
	errno = EINVAL;
	return -1;
}

int clock_getres(clockid_t clk, struct timespec *res)
{
	if (!clock_kind(clk)) {
		errno = EINVAL;
		return -1;
	}
	if (res) {
		res->tv_sec = 0;
		res->tv_nsec = 1; /* TSC-based: nanoseconds are meaningful */
	}
	return 0;
}

int clock_settime(clockid_t clk, const struct timespec *ts)
{
	(void)ts;
	errno = clock_kind(clk) ? EPERM : EINVAL;
	return -1;
}

int gettimeofday(struct timeval *restrict tv, void *restrict tz)
{
	if (tv) {
		uint64_t ns = clock_realtime_ns();
		tv->tv_sec = (time_t)(ns / NS_PER_SEC);
		tv->tv_usec = (suseconds_t)(ns % NS_PER_SEC / 1000);
	}
	if (tz) {
		struct timezone *z = tz;
		z->tz_minuteswest = 0;
		z->tz_dsttime = 0;
	}
	return 0;
}

int shim_abstime_to_deadline(clockid_t clk, const struct timespec *abs,
			     uint64_t *deadline_ns)
{
	if (!abs || !valid_timespec(abs))
		return EINVAL;
	uint64_t want = timespec_to_ns(abs);
	uint64_t mono = clock_monotonic_ns();
	switch (clock_kind(clk)) {
	case 'm':
		break;
	case 'r': {
		uint64_t real = clock_realtime_ns();
		uint64_t left = want > real ? want - real : 0;
		want = left > UINT64_MAX - mono ? UINT64_MAX : mono + left;
		break;
	}
	default:
		return EINVAL;
	}
	if (want < mono)
		want = mono;
	*deadline_ns = want ? want : 1; /* 0 would mean "no deadline" */
	return 0;
}

/* Sleep until the monotonic deadline. The main thread's sleep ends early when a
 * signal handler runs (sigdeliver.c): 1 then, else 0. */
static int sleep_until(uint64_t deadline)
{
	return shim_sig_wait_until(deadline);
}

/* Sleep ns; what was left (0 if it was not interrupted) in *left. */
static int sleep_for(uint64_t ns, uint64_t *left)
{
	uint64_t now = clock_monotonic_ns();
	uint64_t deadline = ns > UINT64_MAX - now ? UINT64_MAX : now + ns;

	*left = 0;
	if (ns == 0) {
		sched_relinquish();
		return shim_sig_run_pending() > 0;
	}
	if (!sleep_until(deadline))
		return 0;
	now = clock_monotonic_ns();
	*left = deadline > now ? deadline - now : 0;
	return 1;
}

int nanosleep(const struct timespec *req, struct timespec *rem)
{
	uint64_t left;

	if (!req || !valid_timespec(req)) {
		errno = EINVAL;
		return -1;
	}
	int interrupted = sleep_for(timespec_to_ns(req), &left);
	if (rem)
		ns_to_timespec(left, rem);
	if (interrupted) {
		errno = EINTR;
		return -1;
	}
	return 0;
}

int clock_nanosleep(clockid_t clk, int flags, const struct timespec *req,
		    struct timespec *rem)
{
	if (!req || !valid_timespec(req) || !clock_kind(clk))
		return EINVAL;
	if (flags & TIMER_ABSTIME) {
		uint64_t deadline;
		int err = shim_abstime_to_deadline(clk, req, &deadline);
		if (err)
			return err;
		return sleep_until(deadline) ? EINTR : 0;
	}
	uint64_t left;
	int interrupted = sleep_for(timespec_to_ns(req), &left);
	if (rem)
		ns_to_timespec(left, rem);
	return interrupted ? EINTR : 0;
}

int usleep(useconds_t us)
{
	uint64_t left;

	if (sleep_for((uint64_t)us * 1000, &left)) {
		errno = EINTR;
		return -1;
	}
	return 0;
}

/* Interrupted: the seconds left, rounded up (as Linux's). */
unsigned sleep(unsigned seconds)
{
	uint64_t left;

	if (!sleep_for((uint64_t)seconds * NS_PER_SEC, &left))
		return 0;
	return (unsigned)((left + NS_PER_SEC - 1) / NS_PER_SEC);
}

/* One process that is always running: its CPU time is the time since boot. */
clock_t times(struct tms *t)
{
	clock_t ticks = (clock_t)(clock_monotonic_ns() / (NS_PER_SEC / CLK_TCK));

	if (t) {
		t->tms_utime = ticks;
		t->tms_stime = 0;
		t->tms_cutime = 0;
		t->tms_cstime = 0;
	}
	return ticks;
}
