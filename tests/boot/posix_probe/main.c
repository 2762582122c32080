/* Boot test: the link probe; every name in names.h links (skiff build) and resolves to a non-NULL address; the sigset functions behind newlib's macros work. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "probe.h"

#undef sigemptyset
#undef sigfillset
#undef sigaddset
#undef sigdelset
#undef sigismember

static int sigset_functions_ok(void)
{
	sigset_t s;
	return sigemptyset(&s) == 0 && sigismember(&s, SIGINT) == 0 &&
	       sigaddset(&s, SIGINT) == 0 && sigismember(&s, SIGINT) == 1 &&
	       sigismember(&s, SIGTERM) == 0 && sigdelset(&s, SIGINT) == 0 &&
	       sigismember(&s, SIGINT) == 0 && sigfillset(&s) == 0 &&
	       sigismember(&s, SIGTERM) == 1 && sigaddset(&s, 0) == -1 && errno == EINVAL &&
	       sigismember(&s, NSIG) == -1;
}

int main(void)
{
	unsigned bad = 0;

	for (unsigned i = 0; i < probe_count; i++) {
		if (!probe_names[i].fn) {
			printf("posix_probe: %s is NULL\n", probe_names[i].name);
			bad++;
		}
	}
	if (!sigset_functions_ok()) {
		printf("posix_probe: the sigset functions are wrong\n");
		bad++;
	}
	printf("posix_probe: %u names linked, %u bad\n", probe_count, bad);
	return bad != 0;
}
