/* Signal state shared by signals.c, sigdeliver.c, sigtimer.c and time.c. */
#ifndef SKIFF_SHIM_SIGSTATE_H
#define SKIFF_SHIM_SIGSTATE_H

#include <signal.h>
#include <stdint.h>

#define SIGBIT(sig) ((sigset_t)1 << (sig))

/* signals.c */
extern struct sigaction shim_sig_actions[NSIG];  /* as last set by sigaction() */
extern sigset_t shim_sig_main_mask;              /* the main thread's signal mask */
extern const siginfo_t *shim_sig_info;           /* for the handler being run, or NULL */
void shim_sig_deliver(int sig);                  /* newlib's entry for sigaction() handlers */

/* sigdeliver.c. Signals go to the main thread (shim_main_thread): process-wide
 * pending set; handlers run when main waits interruptibly or, while it runs, on
 * the way out of an interrupt. */
/* Mark sig pending (any thread or interrupt context) and wake main if it waits. */
void shim_sig_post(int sig, int code, union sigval value);
/* In main: run the handlers of pending, unblocked signals; how many ran. */
int shim_sig_run_pending(void);
/* Main waits until a handler has run (1) or the monotonic deadline passes (0; 0 =
 * no deadline). Other threads just sleep until the deadline and get 0. */
int shim_sig_wait_until(uint64_t deadline_ns);
/* Recompute whether the interrupt path must look for signals (after a mask change). */
void shim_sig_update_hint(void);
/* Set once the program arms a timer, installs a handler or gets a signal posted:
 * from then on main's poll() waits in slices so that a signal can cut it short. */
extern volatile int shim_sig_in_use;
/* The pending set (irq-off snapshot). */
sigset_t shim_sig_pending(void);

#endif
