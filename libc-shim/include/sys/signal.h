/* newlib's <sys/signal.h> with POSIX's struct sigaction (sa_sigaction, SA_* flags with Linux's values) and siginfo_t. */
#ifndef SKIFF_SYS_SIGNAL_H
#define SKIFF_SYS_SIGNAL_H

/* newlib's struct sigaction (handler, mask, flags) has no sa_sigaction:
 * keep its declaration under another name and define the POSIX one with
 * the same layout, the handler and the three-argument form sharing a slot;
 * likewise siginfo_t gains si_pid, si_uid, si_addr and si_status. */
#define sigaction __newlib_sigaction
#define siginfo_t __newlib_siginfo_t
#define sigwaitinfo __newlib_sigwaitinfo
#define sigtimedwait __newlib_sigtimedwait
#include_next <sys/signal.h>
#undef sigaction
#undef siginfo_t
#undef sigwaitinfo
#undef sigtimedwait

#ifdef __cplusplus
extern "C" {
#endif

/* POSIX's fields (newlib has only signo, code and value). */
typedef struct {
	int si_signo;
	int si_code;
	int si_errno;
	pid_t si_pid;
	uid_t si_uid;
	void *si_addr;
	int si_status;
	union sigval si_value;
} siginfo_t;

struct sigaction {
	union {
		_sig_func_ptr sa_handler;
		void (*sa_sigaction)(int, siginfo_t *, void *);
	};
	sigset_t sa_mask;
	int sa_flags;
};

int sigaction(int sig, const struct sigaction *act, struct sigaction *old);
int sigwaitinfo(const sigset_t *set, siginfo_t *info);
int sigtimedwait(const sigset_t *set, siginfo_t *info, const struct timespec *timeout);

#ifndef SA_NOCLDWAIT
#define SA_NOCLDWAIT 0x00000002
#endif
#ifndef SA_SIGINFO
#define SA_SIGINFO 0x00000004   /* call sa_sigaction(sig, info, NULL) */
#endif
#ifndef SA_ONSTACK
#define SA_ONSTACK 0x08000000   /* the handler runs on the sigaltstack, if one is set */
#endif
#ifndef SA_RESTART
#define SA_RESTART 0x10000000   /* accepted: only sleeps, pause, sigsuspend and sigwait (never
                                   restarted in POSIX) are cut short by a signal */
#endif
#ifndef SA_NODEFER
#define SA_NODEFER 0x40000000   /* the signal is not blocked while its handler runs */
#endif
#ifndef SA_RESETHAND
#define SA_RESETHAND 0x80000000 /* back to SIG_DFL before the handler runs */
#endif

#ifdef __cplusplus
}
#endif

#endif
