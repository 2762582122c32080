/* File attributes: chmod, fchmod, utimes, futimes (kept by /tmp; the initrd and /dev are read-only), readlink, symlink (volumes). */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include "shim.h"
#include "vfs.h"

/* setattr on the file system that holds path. */
static int path_setattr(const char *path, mode_t mode, time_t mtime)
{
	char abs[VFS_PATH_MAX];
	const char *rel;
	struct stat st;
	int err = vfs_normalise(path, abs);

	if (err)
		return (int)fd_ret(err);
	const struct fs_ops *fs = vfs_resolve(abs, &rel);
	err = fs->stat ? fs->stat(rel, &st) : -ENOENT;
	if (!err)
		err = fs->setattr ? fs->setattr(rel, mode, mtime) : -EROFS;
	return (int)fd_ret(err);
}

/* setattr on an open file; files that live on no file system (sockets,
 * the console) have no attributes to change. */
static int fd_setattr(int fd, mode_t mode, time_t mtime)
{
	struct file *f = fd_get(fd);

	if (!f)
		return (int)fd_ret(-EBADF);
	int err = f->ops->setattr ? f->ops->setattr(f, mode, mtime) :
		  f->ops->pread ? -EROFS : -EINVAL;
	file_put(f);
	return (int)fd_ret(err);
}

/* utimes' mtime: now for a NULL times, else times[1]. */
static int pick_mtime(const struct timeval *tv, time_t *mtime)
{
	if (!tv) {
		*mtime = (time_t)(clock_realtime_ns() / 1000000000u);
		return 0;
	}
	if (tv[1].tv_usec < 0 || tv[1].tv_usec >= 1000000 || tv[1].tv_sec < 0)
		return -EINVAL;
	*mtime = tv[1].tv_sec; /* one time per file, whole seconds */
	return 0;
}

int chmod(const char *path, mode_t mode)
{
	return path_setattr(path, mode & 07777, (time_t)-1);
}

int fchmod(int fd, mode_t mode)
{
	return fd_setattr(fd, mode & 07777, (time_t)-1);
}

int utimes(const char *path, const struct timeval *tv)
{
	time_t mtime;
	int err = pick_mtime(tv, &mtime);

	return err ? (int)fd_ret(err) : path_setattr(path, (mode_t)-1, mtime);
}

int futimes(int fd, const struct timeval *tv)
{
	time_t mtime;
	int err = pick_mtime(tv, &mtime);

	return err ? (int)fd_ret(err) : fd_setattr(fd, (mode_t)-1, mtime);
}

/* A symbolic link's target, truncated to size bytes, no NUL (the initrd and volumes hold
 * links); EINVAL for a file that is no link, as POSIX says. */
ssize_t readlink(const char *restrict path, char *restrict buf, size_t size)
{
	char abs[VFS_PATH_MAX], target[VFS_PATH_MAX];
	const char *rel;
	struct stat st;
	int n = vfs_normalise_nofollow(path, abs);

	if (n)
		return fd_ret(n);
	const struct fs_ops *fs = vfs_resolve(abs, &rel);
	n = fs->readlink && *rel ? fs->readlink(rel, target, sizeof(target)) : -EINVAL;
	if (n == -EINVAL && lstat(path, &st))
		return -1; /* errno from lstat: ENOENT and friends */
	if (n < 0)
		return fd_ret(n);
	if ((size_t)n > size)
		n = (int)size;
	memcpy(buf, target, (size_t)n);
	return n;
}

/* A symbolic link: volumes hold them; the initrd, /tmp and /dev cannot. */
int symlink(const char *target, const char *path)
{
	char abs[VFS_PATH_MAX];
	const char *rel;

	if (!target || !path)
		return (int)fd_ret(-EFAULT);
	if (!*target)
		return (int)fd_ret(-ENOENT);
	int err = vfs_normalise_nofollow(path, abs);
	if (err)
		return (int)fd_ret(err);
	const struct fs_ops *fs = vfs_resolve(abs, &rel);
	if (!fs->symlink)
		return shim_unsupported("symlink", EPERM, "EPERM");
	return (int)fd_ret(!*rel ? -EEXIST : fs->symlink(target, rel));
}
