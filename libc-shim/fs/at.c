/* The *at calls (openat, fstatat, mkdirat, unlinkat, renameat, readlinkat, faccessat, fchmodat, fchownat): the path taken relative to a directory fd, then the plain call. */
#define _GNU_SOURCE /* AT_EMPTY_PATH */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "shim.h"
#include "vfs.h"

/* Where path names a file when taken relative to dirfd: into out[VFS_PATH_MAX].
 * 0 or -errno (EBADF for a closed dirfd, ENOTDIR for one that is no directory). */
static int at_path(int dirfd, const char *path, char *out)
{
	if (!path || !*path)
		return -ENOENT;
	if (path[0] == '/' || dirfd == AT_FDCWD) {
		if (strlen(path) >= VFS_PATH_MAX)
			return -ENAMETOOLONG;
		strcpy(out, path);
		return 0;
	}
	struct file *f = fd_get(dirfd);
	if (!f)
		return -EBADF;
	int err = 0;
	if (!f->path)
		err = -ENOTDIR;
	else if ((size_t)snprintf(out, VFS_PATH_MAX, "%s/%s", f->path, path) >= VFS_PATH_MAX)
		err = -ENAMETOOLONG;
	file_put(f);
	return err;
}

/* at_path or return -1 with errno set. */
#define AT_PATH(dirfd, path, buf) do { \
		int at_err_ = at_path(dirfd, path, buf); \
		if (at_err_) \
			return (int)fd_ret(at_err_); \
	} while (0)

int openat(int dirfd, const char *path, int flags, ...)
{
	char p[VFS_PATH_MAX];
	mode_t mode = 0;

	if (flags & O_CREAT) {
		va_list ap;
		va_start(ap, flags);
		mode = (mode_t)va_arg(ap, int);
		va_end(ap);
	}
	AT_PATH(dirfd, path, p);
	return open(p, flags, mode);
}

int fstatat(int dirfd, const char *restrict path, struct stat *restrict st, int flags)
{
	char p[VFS_PATH_MAX];

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return (int)fd_ret(-EINVAL);
	if ((flags & AT_EMPTY_PATH) && path && !*path)
		return fstat(dirfd, st);
	AT_PATH(dirfd, path, p);
	return flags & AT_SYMLINK_NOFOLLOW ? lstat(p, st) : stat(p, st);
}

int mkdirat(int dirfd, const char *path, mode_t mode)
{
	char p[VFS_PATH_MAX];

	AT_PATH(dirfd, path, p);
	return mkdir(p, mode);
}

int unlinkat(int dirfd, const char *path, int flags)
{
	char p[VFS_PATH_MAX];

	if (flags & ~AT_REMOVEDIR)
		return (int)fd_ret(-EINVAL);
	AT_PATH(dirfd, path, p);
	return flags & AT_REMOVEDIR ? rmdir(p) : unlink(p);
}

int renameat(int fromfd, const char *from, int tofd, const char *to)
{
	char p1[VFS_PATH_MAX], p2[VFS_PATH_MAX];

	AT_PATH(fromfd, from, p1);
	AT_PATH(tofd, to, p2);
	return rename(p1, p2);
}

ssize_t readlinkat(int dirfd, const char *restrict path, char *restrict buf, size_t size)
{
	char p[VFS_PATH_MAX];

	AT_PATH(dirfd, path, p);
	return readlink(p, buf, size);
}

int faccessat(int dirfd, const char *path, int mode, int flags)
{
	char p[VFS_PATH_MAX];

	if (flags & ~(AT_EACCESS | AT_SYMLINK_NOFOLLOW))
		return (int)fd_ret(-EINVAL);
	AT_PATH(dirfd, path, p);
	return access(p, mode); /* real and effective ids are both root */
}

int fchmodat(int dirfd, const char *path, mode_t mode, int flags)
{
	char p[VFS_PATH_MAX];

	if (flags & ~AT_SYMLINK_NOFOLLOW)
		return (int)fd_ret(-EINVAL);
	AT_PATH(dirfd, path, p);
	return chmod(p, mode);
}

int fchownat(int dirfd, const char *path, uid_t owner, gid_t group, int flags)
{
	char p[VFS_PATH_MAX];

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return (int)fd_ret(-EINVAL);
	if ((flags & AT_EMPTY_PATH) && path && !*path)
		return fchown(dirfd, owner, group);
	AT_PATH(dirfd, path, p);
	return chown(p, owner, group);
}

int symlinkat(const char *target, int dirfd, const char *path)
{
	char p[VFS_PATH_MAX];

	AT_PATH(dirfd, path, p);
	return symlink(target, p);
}
