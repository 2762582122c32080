/* newlib's core OS calls: heap, process identity, exit (fds: libc-shim/fd/). */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "shim.h"

#define SHIM_PID 1 /* the one process */

void *sbrk(ptrdiff_t incr)
{
	void *old = mm_sbrk(incr);

	if (old == (void *)-1)
		errno = ENOMEM;
	return old;
}

pid_t getpid(void)
{
	return SHIM_PID;
}

/* Signals to ourselves end the VM the way a shell reports a signal death
 * (128 + signal); raise() runs handlers set with signal()/sigaction()
 * before it gets here. Signals whose default action is "ignore" are. */
int kill(pid_t pid, int sig)
{
	if (pid != SHIM_PID && pid != 0 && pid != -1) {
		errno = ESRCH;
		return -1;
	}
	if (sig < 0 || sig >= NSIG) {
		errno = EINVAL;
		return -1;
	}
	if (sig == 0 || sig == SIGCHLD || sig == SIGURG || sig == SIGWINCH ||
	    sig == SIGCONT)
		return 0;
	klog("skiff: killed by signal %d\n", sig);
	sk_exit(128 + sig);
}

void _exit(int status)
{
	sk_exit(status & 0xff);
}
