/* Signal dispositions (sigaction) and masks (sigprocmask); delivery is sigdeliver.c's.
 * Handlers live in newlib's table (signal()/raise(); pthread.c makes every
 * thread share the global one). newlib resets a handler to SIG_DFL before
 * running it (System V); sigaction() handlers stay installed (POSIX), so
 * they run through deliver(), which puts itself back first (unless
 * SA_RESETHAND); SA_SIGINFO handlers get the siginfo_t of the signal being delivered
 * (a timer's SI_TIMER and si_value), or si_code SI_USER for raise(). The mask that
 * matters is the main thread's (signals are delivered there); other threads' masks
 * are kept per thread for sigprocmask's answers only. */
#include <errno.h>
#include <signal.h>
#include <string.h>

#include <skiff/sched.h>
#include <skiff/sync.h>

#include "shim.h"
#include "sigstate.h"

struct sigaction shim_sig_actions[NSIG];
sigset_t shim_sig_main_mask;
const siginfo_t *shim_sig_info;

#define OTHER_MASKS 64
static struct {
	struct sk_thread *thread;
	sigset_t mask;
} other_masks[OTHER_MASKS]; /* threads other than main (a dead one's slot is reused) */

void shim_sig_deliver(int sig)
{
	struct sigaction act = shim_sig_actions[sig];

	if (act.sa_flags & SA_RESETHAND)
		shim_sig_actions[sig].sa_handler = SIG_DFL; /* newlib has reset its entry already */
	else
		signal(sig, shim_sig_deliver);
	if (act.sa_handler == SIG_DFL || act.sa_handler == SIG_IGN)
		return;
	if (act.sa_flags & SA_SIGINFO) {
		siginfo_t info = { .si_signo = sig, .si_code = SI_USER };
		if (shim_sig_info && shim_sig_info->si_signo == sig)
			info = *shim_sig_info;
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
				 act->sa_handler : shim_sig_deliver;
	_sig_func_ptr previous = signal(sig, wanted);
	if (previous == SIG_ERR)
		return -1; /* errno set by signal() */
	if (!act)
		signal(sig, previous);
	if (old) {
		if (previous == shim_sig_deliver) {
			*old = shim_sig_actions[sig];
		} else {
			memset(old, 0, sizeof(*old));
			old->sa_handler = previous; /* set with signal() */
		}
	}
	if (act)
		shim_sig_actions[sig] = *act;
	if (act && act->sa_handler != SIG_DFL && act->sa_handler != SIG_IGN)
		shim_sig_in_use = 1;
	return 0;
}

static sigset_t *mask_of_current(void)
{
	struct sk_thread *me = sched_current();
	if (me == shim_main_thread)
		return &shim_sig_main_mask;
	unsigned long f = irq_save();
	int free_slot = -1;
	for (int i = 0; i < OTHER_MASKS; i++) {
		if (other_masks[i].thread == me) {
			irq_restore(f);
			return &other_masks[i].mask;
		}
		if (free_slot < 0 && !other_masks[i].thread)
			free_slot = i;
	}
	if (free_slot < 0)
		free_slot = (int)(((uintptr_t)me >> 12) % OTHER_MASKS);
	other_masks[free_slot].thread = me;
	other_masks[free_slot].mask = 0;
	irq_restore(f);
	return &other_masks[free_slot].mask;
}

int sigprocmask(int how, const sigset_t *set, sigset_t *old)
{
	sigset_t *mask = mask_of_current();
	sigset_t unblockable = SIGBIT(SIGKILL) | SIGBIT(SIGSTOP);
	if (old)
		*old = *mask;
	if (!set)
		return 0;
	unsigned long f = irq_save();
	switch (how) {
	case SIG_BLOCK:
		*mask |= *set & ~unblockable;
		break;
	case SIG_UNBLOCK:
		*mask &= ~*set;
		break;
	case SIG_SETMASK:
		*mask = *set & ~unblockable;
		break;
	default:
		irq_restore(f);
		errno = EINVAL;
		return -1;
	}
	irq_restore(f);
	shim_sig_update_hint();
	shim_sig_run_pending(); /* what was just unblocked is delivered before returning */
	return 0;
}

int pthread_sigmask(int how, const sigset_t *set, sigset_t *old)
{
	return sigprocmask(how, set, old) == 0 ? 0 : errno;
}

int sigpending(sigset_t *set)
{
	*set = shim_sig_pending() & *mask_of_current();
	return 0;
}
