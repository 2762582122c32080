/* getrlimit/setrlimit (soft limits kept, hard limits fixed by what skiff can do) and getrusage. */
#include <errno.h>
#include <string.h>
#include <sys/resource.h>

#include <skiff/clock.h>

#define FD_TABLE_MAX 65536 /* libc-shim/fd/fd.h's FD_MAX */
#define MAIN_STACK (8 * 1024 * 1024) /* kernel/sched.c: main's stack, committed as it grows */

/* Hard limits: what the fd table holds, the main thread's stack, and
 * "unlimited" where skiff enforces nothing. */
static const rlim_t hard[RLIMIT_NLIMITS] = {
	[RLIMIT_CPU] = RLIM_INFINITY,  [RLIMIT_FSIZE] = RLIM_INFINITY,
	[RLIMIT_DATA] = RLIM_INFINITY, [RLIMIT_STACK] = MAIN_STACK,
	[RLIMIT_CORE] = 0,             [RLIMIT_RSS] = RLIM_INFINITY,
	[RLIMIT_NPROC] = 1,            [RLIMIT_NOFILE] = FD_TABLE_MAX,
	[RLIMIT_MEMLOCK] = RLIM_INFINITY, [RLIMIT_AS] = RLIM_INFINITY,
};
static rlim_t soft[RLIMIT_NLIMITS];   /* valid where soft_set */
static char soft_set[RLIMIT_NLIMITS]; /* else the soft limit is the hard one */

int getrlimit(int resource, struct rlimit *rlim)
{
	if (resource < 0 || resource >= RLIMIT_NLIMITS || !rlim) {
		errno = EINVAL;
		return -1;
	}
	rlim->rlim_max = hard[resource];
	rlim->rlim_cur = soft_set[resource] ? soft[resource] : hard[resource];
	return 0;
}

int setrlimit(int resource, const struct rlimit *rlim)
{
	if (resource < 0 || resource >= RLIMIT_NLIMITS || !rlim ||
	    rlim->rlim_cur > rlim->rlim_max) {
		errno = EINVAL;
		return -1;
	}
	if (rlim->rlim_max > hard[resource]) {
		errno = EPERM; /* raising a hard limit, as for an unprivileged process */
		return -1;
	}
	soft[resource] = rlim->rlim_cur;
	soft_set[resource] = 1;
	return 0;
}

/* One process that is always running (as times()): its CPU time is the
 * time since boot, all of it user time; there are no children. */
int getrusage(int who, struct rusage *ru)
{
	if ((who != RUSAGE_SELF && who != RUSAGE_CHILDREN) || !ru) {
		errno = EINVAL;
		return -1;
	}
	memset(ru, 0, sizeof(*ru));
	if (who == RUSAGE_SELF) {
		uint64_t us = clock_monotonic_ns() / 1000u;
		ru->ru_utime.tv_sec = (time_t)(us / 1000000u);
		ru->ru_utime.tv_usec = (suseconds_t)(us % 1000000u);
	}
	return 0;
}
