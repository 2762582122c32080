/* getrusage: like times(), the one process has been running since boot; no children ever ran. */
#include <errno.h>
#include <string.h>
#include <sys/resource.h>

#include "shim.h"

int getrusage(int who, struct rusage *ru)
{
	if (who != RUSAGE_SELF && who != RUSAGE_CHILDREN) {
		errno = EINVAL;
		return -1;
	}
	memset(ru, 0, sizeof(*ru));
	if (who == RUSAGE_SELF) {
		uint64_t us = clock_monotonic_ns() / 1000;
		ru->ru_utime.tv_sec = (time_t)(us / 1000000);
		ru->ru_utime.tv_usec = (suseconds_t)(us % 1000000);
	}
	return 0;
}
