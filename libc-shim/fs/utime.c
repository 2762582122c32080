/* utime, utimensat and futimens: what /tmp keeps of a file's times is its mtime (UTIME_NOW and UTIME_OMIT honoured); atime is not kept. */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>
#include <utime.h>

#include "shim.h"
#include "vfs.h"

int utime(const char *path, const struct utimbuf *times)
{
	if (!times)
		return utimes(path, NULL);
	struct timeval tv[2] = { { times->actime, 0 }, { times->modtime, 0 } };
	return utimes(path, tv);
}

/* The timeval pair utimes takes for a timespec pair; *omit when mtime stays. */
static int to_timeval(const struct timespec *ts, struct timeval *tv, const struct timeval **out, int *omit)
{
	*omit = 0;
	*out = NULL; /* now */
	if (!ts)
		return 0;
	const struct timespec *m = &ts[1];
	if (m->tv_nsec == UTIME_OMIT) {
		*omit = 1;
		return 0;
	}
	if (m->tv_nsec == UTIME_NOW)
		return 0;
	if (m->tv_nsec < 0 || m->tv_nsec >= 1000000000L)
		return -EINVAL;
	tv[0].tv_sec = ts[0].tv_sec;
	tv[0].tv_usec = 0;
	tv[1].tv_sec = m->tv_sec;
	tv[1].tv_usec = m->tv_nsec / 1000;
	*out = tv;
	return 0;
}

int futimens(int fd, const struct timespec *times)
{
	struct timeval tv[2];
	const struct timeval *t;
	int omit, err = to_timeval(times, tv, &t, &omit);

	if (err)
		return (int)fd_ret(err);
	if (omit) {
		struct stat st;
		return fstat(fd, &st); /* still EBADF for a bad fd */
	}
	return futimes(fd, t);
}

int utimensat(int dirfd, const char *path, const struct timespec *times, int flags)
{
	struct timeval tv[2];
	const struct timeval *t;
	int omit, err = to_timeval(times, tv, &t, &omit);

	if (err || (flags & ~AT_SYMLINK_NOFOLLOW))
		return (int)fd_ret(err ? err : -EINVAL);
	int fd = openat(dirfd, path, O_RDONLY);
	if (fd < 0)
		return -1;
	int r = omit ? 0 : futimes(fd, t);
	int saved = errno;
	close(fd);
	errno = saved;
	return r;
}
