/* flock(): one process, so no other holder can ever conflict: valid requests on open fds succeed. */
#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>

int flock(int fd, int op)
{
	struct stat st;

	if (fstat(fd, &st) != 0)
		return -1; /* EBADF */
	switch (op & ~LOCK_NB) {
	case LOCK_SH:
	case LOCK_EX:
	case LOCK_UN:
		return 0;
	default:
		errno = EINVAL;
		return -1;
	}
}
