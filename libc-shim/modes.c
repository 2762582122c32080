/* File modes: skiff has one user and enforces no permissions, so chmod/fchmod only check that the file exists; umask is kept. */
#include <errno.h>
#include <sys/stat.h>

static mode_t mask = 022;

int chmod(const char *path, mode_t mode)
{
	struct stat st;

	(void)mode;
	return stat(path, &st); /* 0, or -1 with ENOENT/ENOTDIR */
}

int fchmod(int fd, mode_t mode)
{
	struct stat st;

	(void)mode;
	return fstat(fd, &st); /* 0, or -1 with EBADF */
}

mode_t umask(mode_t new_mask)
{
	mode_t old = mask;

	mask = new_mask & 0777;
	return old;
}
