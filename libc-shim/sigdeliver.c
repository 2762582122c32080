/* Signal delivery to the main thread: pending set, handlers at safe points, pause, sigsuspend, sigwait, sigaltstack.
 *
 * A posted signal (a timer, raise() stays synchronous in newlib) is marked pending
 * and wakes the main thread if it waits interruptibly (pause, sigsuspend, sigwait,
 * sleep/nanosleep/usleep/clock_nanosleep). If main is running instead, the kernel's
 * interrupt return path calls back here (sched_async_hook) when the interrupted code
 * had interrupts on, so a busy loop gets its handler within one timer tick or
 * timeslice. Handlers run with their signal (and sa_mask) blocked; SA_ONSTACK ones on
 * the sigaltstack if one is set. A signal whose disposition is SIG_DFL goes to newlib's
 * raise(), which ends the VM with 128 + signal (kill() in syscalls.c), except those
 * ignored by default (SIGCHLD, SIGURG, SIGWINCH, SIGCONT). Handlers installed with
 * signal() keep BSD semantics here (reinstalled after they run, as glibc does), since
 * newlib's raise() resets them first. */
#include <errno.h>
#include <reent.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include <unistd.h>

#include <skiff/clock.h>
#include <skiff/sched.h>
#include <skiff/sync.h>

#include "shim.h"
#include "sigstate.h"

static sigset_t pending;
static siginfo_t infos[NSIG];
static struct sk_waitq main_wait;   /* main, waiting interruptibly */
static stack_t alt = { .ss_flags = SS_DISABLE };
static int on_alt;
volatile int shim_sig_in_use;

/* Run fn(sig) with the stack pointer at top (16-byte aligned). */
void shim_call_on_stack(void *top, void (*fn)(int), int sig);
__asm__(".text\n"
	".globl shim_call_on_stack\n"
	".type shim_call_on_stack, @function\n"
	"shim_call_on_stack:\n"
	"	push %rbp\n"
	"	mov %rsp, %rbp\n"
	"	mov %rdi, %rsp\n"
	"	mov %edx, %edi\n"
	"	call *%rsi\n"
	"	mov %rbp, %rsp\n"
	"	pop %rbp\n"
	"	ret\n"
	".size shim_call_on_stack, . - shim_call_on_stack\n");

static void raise_void(int sig)
{
	raise(sig);
}

/* newlib's table entry for sig (shared by all threads: pthread.c), read in place. */
static _sig_func_ptr disposition(int sig)
{
	struct _reent *r = _REENT;
	return r->_sig_func ? r->_sig_func[sig] : SIG_DFL;
}

static int ignored_by_default(int sig)
{
	return sig == SIGCHLD || sig == SIGURG || sig == SIGWINCH || sig == SIGCONT;
}

void shim_sig_update_hint(void)
{
	unsigned long f = irq_save();
	sched_async_pending = (pending & ~shim_sig_main_mask) != 0;
	irq_restore(f);
}

sigset_t shim_sig_pending(void)
{
	unsigned long f = irq_save();
	sigset_t p = pending;
	irq_restore(f);
	return p;
}

static void async_hook(void)
{
	if (sched_current() != shim_main_thread)
		return;
	irq_restore(1UL << 9); /* interrupts on (and, with SMP, the kernel lock dropped) */
	shim_sig_run_pending();
	(void)irq_save();      /* off again, as the hook was entered */
}

void shim_sig_post(int sig, int code, union sigval value)
{
	if (sig <= 0 || sig >= NSIG)
		return;
	unsigned long f = irq_save();
	sched_async_hook = async_hook;
	shim_sig_in_use = 1;
	if (!(pending & SIGBIT(sig))) { /* not queued: a second one merges into the first */
		pending |= SIGBIT(sig);
		infos[sig] = (siginfo_t){ .si_signo = sig, .si_code = code, .si_value = value };
	}
	sched_async_pending = (pending & ~shim_sig_main_mask) != 0;
	irq_restore(f);
	waitq_wake_all(&main_wait);
}

/* Run sig's disposition in main; 1 if a handler ran. */
static int deliver_one(int sig, const siginfo_t *info)
{
	_sig_func_ptr h = disposition(sig);
	if (h == SIG_IGN || h == SIG_ERR || (h == SIG_DFL && ignored_by_default(sig)))
		return 0;
	if (h == SIG_DFL) {
		raise(sig); /* ends the VM: 128 + sig */
		return 0;
	}
	const struct sigaction *act = &shim_sig_actions[sig];
	int via_sigaction = h == shim_sig_deliver;
	sigset_t saved = shim_sig_main_mask;
	sigset_t block = via_sigaction ? act->sa_mask : 0;
	if (!via_sigaction || !(act->sa_flags & SA_NODEFER))
		block |= SIGBIT(sig);
	shim_sig_main_mask |= block;
	shim_sig_update_hint();
	const siginfo_t *outer = shim_sig_info;
	shim_sig_info = info;
	if (via_sigaction && (act->sa_flags & SA_ONSTACK) && !(alt.ss_flags & SS_DISABLE) &&
	    !on_alt) {
		on_alt = 1;
		shim_call_on_stack((void *)(((uintptr_t)alt.ss_sp + alt.ss_size) & ~(uintptr_t)15),
				   raise_void, sig);
		on_alt = 0;
	} else {
		raise(sig);
	}
	shim_sig_info = outer;
	if (!via_sigaction) {
		_sig_func_ptr now = signal(sig, h); /* BSD semantics: stay installed */
		if (now != SIG_DFL)
			signal(sig, now); /* the handler chose another disposition itself */
	}
	shim_sig_main_mask = saved;
	shim_sig_update_hint();
	return 1;
}

int shim_sig_run_pending(void)
{
	if (sched_current() != shim_main_thread)
		return 0;
	int ran = 0;
	for (;;) {
		unsigned long f = irq_save();
		sigset_t ready = pending & ~shim_sig_main_mask;
		if (!ready) {
			sched_async_pending = 0;
			irq_restore(f);
			return ran;
		}
		int sig = __builtin_ctzl(ready);
		pending &= ~SIGBIT(sig);
		siginfo_t info = infos[sig];
		irq_restore(f);
		ran += deliver_one(sig, &info);
	}
}

int shim_sig_wait_until(uint64_t deadline_ns)
{
	if (sched_current() != shim_main_thread) {
		uint64_t now;
		if (!deadline_ns) { /* no signal comes here: forever (the deadlock check sees it) */
			static struct sk_waitq never;
			shim_log_once("pause-thread", "pause() outside the main thread "
				      "waits forever: signals go to main");
			for (;;)
				waitq_wait(&never, 0);
		}
		while ((now = clock_monotonic_ns()) < deadline_ns)
			sched_sleep_ns(deadline_ns - now);
		return 0;
	}
	for (;;) {
		if (shim_sig_run_pending())
			return 1;
		unsigned long f = irq_save();
		if (pending & ~shim_sig_main_mask) {
			irq_restore(f);
			continue;
		}
		if (deadline_ns && clock_monotonic_ns() >= deadline_ns) {
			irq_restore(f);
			return 0;
		}
		waitq_wait(&main_wait, deadline_ns);
		irq_restore(f);
	}
}

int pause(void)
{
	while (!shim_sig_wait_until(0))
		;
	errno = EINTR;
	return -1;
}

int sigsuspend(const sigset_t *mask)
{
	if (sched_current() != shim_main_thread) {
		shim_log_once("sigsuspend-thread", "sigsuspend() outside the main thread is not "
			      "supported: signals go to main (ENOSYS)");
		errno = ENOSYS;
		return -1;
	}
	sigset_t saved = shim_sig_main_mask;
	shim_sig_main_mask = *mask & ~(SIGBIT(SIGKILL) | SIGBIT(SIGSTOP));
	shim_sig_update_hint();
	while (!shim_sig_wait_until(0))
		;
	shim_sig_main_mask = saved;
	shim_sig_update_hint();
	errno = EINTR;
	return -1;
}

/* Take one pending signal of set (lowest first); 0 if none. */
static int take(const sigset_t *set, siginfo_t *info)
{
	unsigned long f = irq_save();
	sigset_t mine = pending & *set;
	int sig = mine ? __builtin_ctzl(mine) : 0;
	if (sig) {
		pending &= ~SIGBIT(sig);
		if (info)
			*info = infos[sig];
	}
	sched_async_pending = (pending & ~shim_sig_main_mask) != 0;
	irq_restore(f);
	return sig;
}

static int wait_for(const sigset_t *set, siginfo_t *info, uint64_t deadline_ns)
{
	if (sched_current() != shim_main_thread)
		return -ENOSYS;
	for (;;) {
		int sig = take(set, info);
		if (sig)
			return sig;
		unsigned long f = irq_save();
		if (pending & *set) {
			irq_restore(f);
			continue;
		}
		if (deadline_ns && clock_monotonic_ns() >= deadline_ns) {
			irq_restore(f);
			return -EAGAIN;
		}
		int woke_by_other = pending & ~shim_sig_main_mask & ~*set;
		if (!woke_by_other)
			waitq_wait(&main_wait, deadline_ns);
		irq_restore(f);
		if (shim_sig_run_pending())
			return -EINTR; /* a handler for a signal outside set ran */
	}
}

int sigwait(const sigset_t *set, int *sig)
{
	int r = wait_for(set, NULL, 0);
	if (r == -ENOSYS)
		shim_log_once("sigwait-thread", "sigwait() outside the main thread is not "
			      "supported: signals go to main (ENOSYS)");
	if (r < 0)
		return -r;
	*sig = r;
	return 0;
}

int sigtimedwait(const sigset_t *set, siginfo_t *info, const struct timespec *timeout)
{
	uint64_t deadline = 0;
	if (timeout) {
		if (timeout->tv_sec < 0 || timeout->tv_nsec < 0 || timeout->tv_nsec >= 1000000000L) {
			errno = EINVAL;
			return -1;
		}
		deadline = clock_monotonic_ns() + (uint64_t)timeout->tv_sec * 1000000000ULL +
			   (uint64_t)timeout->tv_nsec;
	}
	int r = wait_for(set, info, deadline);
	if (r < 0) {
		if (r == -ENOSYS)
			shim_log_once("sigtimedwait-thread", "sigtimedwait() outside the main thread "
				      "is not supported: signals go to main (ENOSYS)");
		errno = -r;
		return -1;
	}
	return r;
}

int sigwaitinfo(const sigset_t *set, siginfo_t *info)
{
	return sigtimedwait(set, info, NULL);
}

int sigaltstack(const stack_t *ss, stack_t *old)
{
	if (old) {
		*old = alt;
		old->ss_flags = on_alt ? SS_ONSTACK : (alt.ss_flags & SS_DISABLE);
	}
	if (!ss)
		return 0;
	if (on_alt) {
		errno = EPERM;
		return -1;
	}
	if (ss->ss_flags & ~SS_DISABLE) {
		errno = EINVAL;
		return -1;
	}
	if (ss->ss_flags & SS_DISABLE) {
		alt = (stack_t){ .ss_flags = SS_DISABLE };
		return 0;
	}
	if (ss->ss_size < MINSIGSTKSZ) {
		errno = ENOMEM;
		return -1;
	}
	alt = *ss;
	alt.ss_flags = 0;
	return 0;
}
