/* Interval timers: no signal is ever delivered asynchronously, so no timer can be armed (ENOSYS, logged once); disarming one is a no-op. */
#include <errno.h>
#include <string.h>
#include <sys/time.h>

#include "shim.h"

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
	memset(value, 0, sizeof(*value)); /* never armed */
	return 0;
}

int setitimer(int which, const struct itimerval *value, struct itimerval *old)
{
	if (!valid_which(which) || !value) {
		errno = EINVAL;
		return -1;
	}
	if (old)
		memset(old, 0, sizeof(*old));
	if (value->it_value.tv_sec == 0 && value->it_value.tv_usec == 0)
		return 0; /* disarm: there is nothing armed */
	return shim_unsupported("setitimer", ENOSYS, "ENOSYS");
}
