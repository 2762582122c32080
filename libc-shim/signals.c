/* Signals without asynchronous delivery: dispositions for raise()/abort(),
 * a recorded signal mask, and nothing that ever interrupts a thread.
 * Handlers live in newlib's table (signal()/raise(); pthread.c makes every
 * thread share the global one). newlib resets a handler to SIG_DFL before
 * running it (System V); sigaction() handlers stay installed (POSIX), so
 * they run through deliver(), which puts itself back first (unless
 * SA_RESETHAND); SA_SIGINFO handlers get a siginfo_t with si_code SI_USER. */
#include <errno.h>
#include <signal.h>
#include <string.h>

#include "shim.h"

static sigset_t blocked;                /* recorded, never consulted */
static struct sigaction actions[NSIG];  /* as last set by sigaction() */

static void deliver(int sig)
{
	struct sigaction act = actions[sig];

	if (act.sa_flags & SA_RESETHAND)
		actions[sig].sa_handler = SIG_DFL; /* newlib has reset its entry already */
	else
		signal(sig, deliver);
	if (act.sa_handler == SIG_DFL || act.sa_handler == SIG_IGN)
		return;
	if (act.sa_flags & SA_SIGINFO) {
		siginfo_t info = { .si_signo = sig, .si_code = SI_USER };
		act.sa_sigaction(sig, &info, NULL);
	} else {
		act.sa_handler(sig);
	}
}

int sigaction(int sig, const struct sigaction *act, struct sigaction *old)
{
	if (sig <= 0 || sig >= NSIG ||
	    (act && (sig == SIGKILL || sig == SIGSTOP))) {
		errno = EINVAL;
		return -1;
	}
	/* signal() only sets (and reports the previous value). */
	_sig_func_ptr wanted = SIG_DFL;
	if (act)
		wanted = act->sa_handler == SIG_DFL || act->sa_handler == SIG_IGN ?
				 act->sa_handler : deliver;
	_sig_func_ptr previous = signal(sig, wanted);
	if (previous == SIG_ERR)
		return -1; /* errno set by signal() */
	if (!act)
		signal(sig, previous);
	if (old) {
		if (previous == deliver) {
			*old = actions[sig];
		} else {
			memset(old, 0, sizeof(*old));
			old->sa_handler = previous; /* set with signal() */
		}
	}
	if (act)
		actions[sig] = *act;
	return 0;
}

int sigprocmask(int how, const sigset_t *set, sigset_t *old)
{
	if (old)
		*old = blocked;
	if (!set)
		return 0;
	switch (how) {
	case SIG_BLOCK:
		blocked |= *set;
		return 0;
	case SIG_UNBLOCK:
		blocked &= ~*set;
		return 0;
	case SIG_SETMASK:
		blocked = *set;
		return 0;
	default:
		errno = EINVAL;
		return -1;
	}
}

int pthread_sigmask(int how, const sigset_t *set, sigset_t *old)
{
	return sigprocmask(how, set, old) == 0 ? 0 : errno;
}

int sigpending(sigset_t *set)
{
	*set = 0; /* nothing is ever left pending */
	return 0;
}
