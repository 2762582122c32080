/* Timers that signal: alarm, setitimer/getitimer (ITIMER_REAL), timer_create and friends.
 *
 * One kernel thread ("sigtimer") sleeps until the earliest armed timer and posts its
 * signal (sigdeliver.c) or, for SIGEV_THREAD, calls the function itself (in that
 * thread, so a slow function delays the other timers). Deadlines are monotonic; an
 * absolute CLOCK_REALTIME time is converted when it is set (a later step of the
 * wall clock does not move it). An interval timer that fell behind counts the missed
 * expirations as overruns (timer_getoverrun), as does one whose previous signal is
 * still pending. ITIMER_VIRTUAL and ITIMER_PROF (CPU-time timers) cannot be armed:
 * ENOSYS, logged once. */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <skiff/clock.h>
#include <skiff/sched.h>
#include <skiff/sync.h>

#include "shim.h"
#include "sigstate.h"

#define NS 1000000000ULL
#define MAX_TIMERS 32          /* timer_create ids 1..MAX_TIMERS; slot 0 is ITIMER_REAL */

struct stimer {
	int used;
	clockid_t clock;
	int notify;                /* SIGEV_SIGNAL, SIGEV_NONE or SIGEV_THREAD */
	int signo, code;
	union sigval value;
	void (*fn)(union sigval);
	uint64_t deadline;         /* monotonic ns; 0 = disarmed */
	uint64_t interval;         /* ns; 0 = one-shot */
	int overrun, last_overrun;
};

static struct stimer timers[MAX_TIMERS + 1];
static struct sk_waitq timer_wait;
static struct sk_thread *timer_thread;

/* Fire what is due; the next deadline (0 = none). Interrupts off. */
static uint64_t fire_due(uint64_t now, void (**fn)(union sigval), union sigval *arg)
{
	uint64_t next = 0;
	for (int i = 0; i <= MAX_TIMERS; i++) {
		struct stimer *t = &timers[i];
		if (!t->used || !t->deadline)
			continue;
		if (t->deadline <= now) {
			if (t->notify == SIGEV_SIGNAL) {
				if (shim_sig_pending() & SIGBIT(t->signo)) {
					t->overrun++;
				} else {
					t->last_overrun = t->overrun;
					t->overrun = 0;
					shim_sig_post(t->signo, t->code, t->value);
				}
			} else if (t->notify == SIGEV_THREAD && !*fn) {
				*fn = t->fn;
				*arg = t->value;
			}
			if (t->interval) {
				uint64_t behind = (now - t->deadline) / t->interval;
				t->overrun += (int)behind;
				t->deadline += (behind + 1) * t->interval;
			} else {
				t->deadline = 0;
			}
		}
		if (t->deadline && (!next || t->deadline < next))
			next = t->deadline;
	}
	return next;
}

static void timer_main(void *arg)
{
	(void)arg;
	for (;;) {
		void (*fn)(union sigval) = NULL;
		union sigval value = { 0 };
		unsigned long f = irq_save();
		uint64_t next = fire_due(clock_monotonic_ns(), &fn, &value);
		if (!fn)
			waitq_wait(&timer_wait, next); /* woken when a timer is set */
		irq_restore(f);
		if (fn)
			fn(value);
	}
}

/* Arm or disarm t (interrupts off), start the thread on first use, wake it. */
static int arm(struct stimer *t, uint64_t deadline, uint64_t interval)
{
	if (!timer_thread && deadline) {
		timer_thread = sched_create("sigtimer", timer_main, NULL, 0);
		if (!timer_thread)
			return ENOMEM;
	}
	if (deadline)
		shim_sig_in_use = 1;
	t->deadline = deadline;
	t->interval = deadline ? interval : 0;
	t->overrun = 0;
	waitq_wake_all(&timer_wait);
	return 0;
}

static uint64_t remaining(const struct stimer *t)
{
	uint64_t now = clock_monotonic_ns();
	if (!t->deadline)
		return 0;
	return t->deadline > now ? t->deadline - now : 1;
}

static uint64_t tv_ns(const struct timeval *tv)
{
	return (uint64_t)tv->tv_sec * NS + (uint64_t)tv->tv_usec * 1000;
}

static void ns_tv(uint64_t ns, struct timeval *tv)
{
	tv->tv_sec = (time_t)(ns / NS);
	tv->tv_usec = (suseconds_t)(ns % NS / 1000);
	if (ns && !tv->tv_sec && !tv->tv_usec)
		tv->tv_usec = 1; /* still armed: never report 0 */
}

static void ns_ts(uint64_t ns, struct timespec *ts)
{
	ts->tv_sec = (time_t)(ns / NS);
	ts->tv_nsec = (long)(ns % NS);
}

static int valid_ts(const struct timespec *ts)
{
	return ts->tv_sec >= 0 && ts->tv_nsec >= 0 && ts->tv_nsec < (long)NS;
}

static int valid_which(int which)
{
	return which == ITIMER_REAL || which == ITIMER_VIRTUAL || which == ITIMER_PROF;
}

int getitimer(int which, struct itimerval *value)
{
	if (!valid_which(which) || !value) {
		errno = EINVAL;
		return -1;
	}
	memset(value, 0, sizeof(*value));
	if (which == ITIMER_REAL) {
		unsigned long f = irq_save();
		ns_tv(remaining(&timers[0]), &value->it_value);
		ns_tv(timers[0].interval, &value->it_interval);
		irq_restore(f);
	}
	return 0;
}

int setitimer(int which, const struct itimerval *value, struct itimerval *old)
{
	if (!valid_which(which) || !value || value->it_value.tv_usec < 0 ||
	    value->it_value.tv_usec >= 1000000 || value->it_value.tv_sec < 0 ||
	    value->it_interval.tv_usec < 0 || value->it_interval.tv_usec >= 1000000 ||
	    value->it_interval.tv_sec < 0) {
		errno = EINVAL;
		return -1;
	}
	uint64_t first = tv_ns(&value->it_value);
	if (which != ITIMER_REAL) {
		if (old)
			memset(old, 0, sizeof(*old));
		if (!first)
			return 0; /* disarm: never armed */
		shim_log_once("setitimer-cpu", "setitimer() is not supported for CPU-time timers "
			      "(ITIMER_VIRTUAL, ITIMER_PROF) (ENOSYS)");
		errno = ENOSYS;
		return -1;
	}
	unsigned long f = irq_save();
	struct stimer *t = &timers[0];
	if (old) {
		ns_tv(remaining(t), &old->it_value);
		ns_tv(t->interval, &old->it_interval);
	}
	t->used = 1;
	t->notify = SIGEV_SIGNAL;
	t->signo = SIGALRM;
	t->code = SI_USER;
	t->value.sival_int = 0;
	int err = arm(t, first ? clock_monotonic_ns() + first : 0, tv_ns(&value->it_interval));
	irq_restore(f);
	if (err) {
		errno = err;
		return -1;
	}
	return 0;
}

unsigned alarm(unsigned seconds)
{
	struct itimerval v = { .it_value = { .tv_sec = seconds } }, old;
	setitimer(ITIMER_REAL, &v, &old);
	return (unsigned)old.it_value.tv_sec + (old.it_value.tv_usec >= 500000 ||
						(!old.it_value.tv_sec && old.it_value.tv_usec));
}

useconds_t ualarm(useconds_t usecs, useconds_t interval)
{
	struct itimerval v = {
		.it_value = { .tv_sec = usecs / 1000000, .tv_usec = usecs % 1000000 },
		.it_interval = { .tv_sec = interval / 1000000, .tv_usec = interval % 1000000 },
	}, old;
	setitimer(ITIMER_REAL, &v, &old);
	return (useconds_t)(old.it_value.tv_sec * 1000000 + old.it_value.tv_usec);
}

static struct stimer *lookup(timer_t id)
{
	uintptr_t i = (uintptr_t)id;
	if (i < 1 || i > MAX_TIMERS || !timers[i].used)
		return NULL;
	return &timers[i];
}

int timer_create(clockid_t clk, struct sigevent *sev, timer_t *id)
{
	struct timespec probe;
	if (clock_gettime(clk, &probe) != 0 || !id ||
	    (sev && sev->sigev_notify != SIGEV_NONE && sev->sigev_notify != SIGEV_SIGNAL &&
	     sev->sigev_notify != SIGEV_THREAD) ||
	    (sev && sev->sigev_notify == SIGEV_SIGNAL &&
	     (sev->sigev_signo <= 0 || sev->sigev_signo >= NSIG)) ||
	    (sev && sev->sigev_notify == SIGEV_THREAD && !sev->sigev_notify_function)) {
		errno = EINVAL;
		return -1;
	}
	unsigned long f = irq_save();
	int i = 1;
	while (i <= MAX_TIMERS && timers[i].used)
		i++;
	if (i > MAX_TIMERS) {
		irq_restore(f);
		errno = EAGAIN;
		return -1;
	}
	struct stimer *t = &timers[i];
	memset(t, 0, sizeof(*t));
	t->used = 1;
	t->clock = clk;
	t->code = SI_TIMER;
	if (sev) {
		t->notify = sev->sigev_notify;
		t->signo = sev->sigev_signo;
		t->value = sev->sigev_value;
		t->fn = sev->sigev_notify_function;
	} else {
		t->notify = SIGEV_SIGNAL;
		t->signo = SIGALRM;
		t->value.sival_int = i;
	}
	irq_restore(f);
	*id = (timer_t)(uintptr_t)i;
	return 0;
}

int timer_settime(timer_t id, int flags, const struct itimerspec *value,
		  struct itimerspec *old)
{
	struct stimer *t = lookup(id);
	if (!t || !value || !valid_ts(&value->it_value) || !valid_ts(&value->it_interval)) {
		errno = EINVAL;
		return -1;
	}
	uint64_t deadline = 0;
	if (value->it_value.tv_sec || value->it_value.tv_nsec) {
		if (flags & TIMER_ABSTIME) {
			if (shim_abstime_to_deadline(t->clock, &value->it_value, &deadline)) {
				errno = EINVAL;
				return -1;
			}
		} else {
			deadline = clock_monotonic_ns() + (uint64_t)value->it_value.tv_sec * NS +
				   (uint64_t)value->it_value.tv_nsec;
		}
	}
	unsigned long f = irq_save();
	if (old) {
		ns_ts(remaining(t), &old->it_value);
		ns_ts(t->interval, &old->it_interval);
	}
	int err = arm(t, deadline, (uint64_t)value->it_interval.tv_sec * NS +
			  (uint64_t)value->it_interval.tv_nsec);
	irq_restore(f);
	if (err) {
		errno = err;
		return -1;
	}
	return 0;
}

int timer_gettime(timer_t id, struct itimerspec *value)
{
	struct stimer *t = lookup(id);
	if (!t || !value) {
		errno = EINVAL;
		return -1;
	}
	unsigned long f = irq_save();
	ns_ts(remaining(t), &value->it_value);
	ns_ts(t->interval, &value->it_interval);
	irq_restore(f);
	return 0;
}

int timer_getoverrun(timer_t id)
{
	struct stimer *t = lookup(id);
	if (!t) {
		errno = EINVAL;
		return -1;
	}
	return t->last_overrun;
}

int timer_delete(timer_t id)
{
	struct stimer *t = lookup(id);
	if (!t) {
		errno = EINVAL;
		return -1;
	}
	unsigned long f = irq_save();
	t->used = 0;
	t->deadline = 0;
	irq_restore(f);
	return 0;
}
