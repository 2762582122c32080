/* The app's first thread: newlib set-up, main(argc, argv, envp), exit. */
#include <errno.h>
#include <reent.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/lock.h>
#include <unistd.h>

#include "shim.h"

struct sk_thread *shim_main_thread;

/* stdout to a file or pipe is fully buffered in this many bytes: newlib's
 * BUFSIZ (1 KiB) would cost a console-link round trip per KiB. */
#define STDOUT_BUF 32768

extern int main(int argc, char **argv, char **envp);
extern void __libc_init_array(void);
extern void __libc_fini_array(void);

/* newlib's __libc_init_array/__libc_fini_array call these around the
 * .init_array/.fini_array walks; everything lives in those arrays here. */
void _init(void)
{
}

void _fini(void)
{
}

/* Flush one stream unless another thread holds it (sk_exit may run from a
 * panic while a printf is half done: never wait for a lock here). The lock
 * is the recursive one newlib's stdio takes, so the owner may flush. */
static void flush_if_free(FILE *f)
{
	if (f->_flags == 0 || f->_lock == NULL)
		return; /* never used */
	if (__retarget_lock_try_acquire_recursive(f->_lock) != 0)
		return;
	fflush(f);
	__retarget_lock_release_recursive(f->_lock);
}

/* Run by sk_exit() when the program ends (exit, _exit, a signal to itself). */
static void flush_console_streams(void)
{
	flush_if_free(stdout);
	flush_if_free(stderr);
}

void app_entry(void)
{
	shim_main_thread = sched_current();
	sk_on_exit(flush_console_streams);

	/* Per-thread newlib state: __getreent (getreent.c) returns the running
	 * thread's; main uses the global one (pthreads get their own in pthread_create). */
	sched_set_reent(shim_main_thread, _global_impure_ptr);

	/* What the process would inherit: its environment and working directory. */
	shim_environ_init();
	shim_workdir_init();

	/* What a crt0 does: destructors at exit, constructors now. */
	atexit(__libc_fini_array);
	if (!isatty(1))
		setvbuf(stdout, NULL, _IOFBF, STDOUT_BUF);
	errno = 0;
	__libc_init_array();

	boot_reached_main(); /* boot-time stamp; prints the breakdown with `bootstat` */
	exit(main(boot_app_argc(), boot_app_argv(), environ));
}
