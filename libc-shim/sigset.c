/* sigemptyset and friends as functions (newlib has only macros): for programs that #undef them or take their address; a bad signal number is EINVAL. */
#include <errno.h>
#include <signal.h>

#undef sigemptyset
#undef sigfillset
#undef sigaddset
#undef sigdelset
#undef sigismember

static int bad_signal(int sig)
{
	if (sig > 0 && sig < NSIG)
		return 0;
	errno = EINVAL;
	return 1;
}

int sigemptyset(sigset_t *set)
{
	*set = 0;
	return 0;
}

int sigfillset(sigset_t *set)
{
	*set = ~(sigset_t)0;
	return 0;
}

int sigaddset(sigset_t *set, const int sig)
{
	if (bad_signal(sig))
		return -1;
	*set |= (sigset_t)1 << sig;
	return 0;
}

int sigdelset(sigset_t *set, const int sig)
{
	if (bad_signal(sig))
		return -1;
	*set &= ~((sigset_t)1 << sig);
	return 0;
}

int sigismember(const sigset_t *set, int sig)
{
	if (bad_signal(sig))
		return -1;
	return (*set >> sig) & 1;
}
