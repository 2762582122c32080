/* newlib's core OS calls: console fds 0-2, heap, process identity, exit. */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "shim.h"

#define SHIM_PID 1 /* the one process */

static int is_console_fd(int fd)
{
	return fd >= 0 && fd <= 2;
}

_READ_WRITE_RETURN_TYPE write(int fd, const void *buf, size_t n)
{
	if (fd == 1 || fd == 2) {
		console_write(fd == 1 ? CONSOLE_OUT : CONSOLE_LOG, buf, n);
		return n;
	}
	errno = EBADF;
	return -1;
}

/* stdin is empty for now: reading it gives end-of-file. */
_READ_WRITE_RETURN_TYPE read(int fd, void *buf, size_t n)
{
	(void)buf;
	(void)n;
	if (fd == 0)
		return 0;
	errno = EBADF;
	return -1;
}

int close(int fd)
{
	if (is_console_fd(fd))
		return 0;
	errno = EBADF;
	return -1;
}

off_t lseek(int fd, off_t offset, int whence)
{
	(void)offset;
	(void)whence;
	errno = is_console_fd(fd) ? ESPIPE : EBADF;
	return -1;
}

int isatty(int fd)
{
	if (is_console_fd(fd))
		return 1;
	errno = EBADF;
	return 0;
}

int fstat(int fd, struct stat *st)
{
	if (!is_console_fd(fd)) {
		errno = EBADF;
		return -1;
	}
	memset(st, 0, sizeof(*st));
	st->st_mode = S_IFCHR | 0620;
	st->st_rdev = fd;
	return 0;
}

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
