/* Path calls: open, stat, mkdir, unlink, rename and friends, dispatched to the file system that holds the path. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "shim.h"
#include "p9fs.h"
#include "vfs.h"

int open(const char *path, int flags, ...)
{
	char abs[VFS_PATH_MAX];
	const char *rel;
	struct file *f;
	mode_t mode = 0;

	if (flags & O_CREAT) {
		va_list ap;
		va_start(ap, flags);
		mode = (mode_t)va_arg(ap, int);
		va_end(ap);
	}
	int err = flags & O_NOFOLLOW ? vfs_normalise_nofollow(path, abs) : vfs_normalise(path, abs);
	if (err)
		return (int)fd_ret(err);
	const struct fs_ops *fs = vfs_resolve(abs, &rel);
	if ((flags & O_ACCMODE) == O_ACCMODE)
		return (int)fd_ret(-EINVAL);
	err = fs->open ? fs->open(rel, flags, mode, &f) : -ENOENT;
	if (err)
		return (int)fd_ret(err);
	/* What the descriptor remembers; O_CREAT and friends were for open only. */
	f->flags = flags & (O_ACCMODE | O_APPEND | O_NONBLOCK);
	if (f->ops->readdir && !(f->path = strdup(abs))) {
		file_put(f);
		return (int)fd_ret(-ENOMEM);
	}
	int fd = fd_install(f, 0);
	if (fd < 0)
		file_put(f);
	return (int)fd_ret(fd);
}

int creat(const char *path, mode_t mode)
{
	return open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
}

/* The file system that holds path (a symbolic link as its last component is not
 * followed: the calls below act on the name itself, except stat). */
static int on_path(const char *path, const struct fs_ops **fs, const char **rel, char *abs)
{
	int err = vfs_normalise_nofollow(path, abs);

	if (!err)
		*fs = vfs_resolve(abs, rel);
	return err;
}

int stat(const char *path, struct stat *st)
{
	char abs[VFS_PATH_MAX];
	const struct fs_ops *fs;
	const char *rel;
	int err = vfs_normalise(path, abs);

	if (!err) {
		fs = vfs_resolve(abs, &rel);
		err = fs->stat ? fs->stat(rel, st) : -ENOENT;
	}
	return (int)fd_ret(err);
}

int lstat(const char *path, struct stat *st)
{
	char abs[VFS_PATH_MAX];
	const struct fs_ops *fs;
	const char *rel;
	int err = on_path(path, &fs, &rel, abs);

	if (!err)
		err = fs->stat ? fs->stat(rel, st) : -ENOENT;
	return (int)fd_ret(err);
}

/* Can nothing on the file system with st_dev dev change (access's W_OK, as Linux: EROFS)? */
static int vfs_read_only(dev_t dev)
{
	struct p9vol *v;

	if (dev == VFS_DEV_INITRD)
		return 1;
	v = vfs_volume_by_dev(dev);
	return v && v->ro;
}

int access(const char *path, int mode)
{
	struct stat st;

	if (stat(path, &st))
		return -1;
	if ((mode & W_OK) && vfs_read_only(st.st_dev))
		return (int)fd_ret(-EROFS);
	if ((mode & W_OK) && !(st.st_mode & 0222))
		return (int)fd_ret(-EACCES);
	if ((mode & X_OK) && !(st.st_mode & 0111))
		return (int)fd_ret(-EACCES);
	return 0;
}

int mkdir(const char *path, mode_t mode)
{
	char abs[VFS_PATH_MAX];
	const struct fs_ops *fs;
	const char *rel;
	int err = on_path(path, &fs, &rel, abs);

	if (!err)
		err = !*rel ? -EEXIST : fs->mkdir ? fs->mkdir(rel, mode) : -EROFS;
	return (int)fd_ret(err);
}

int rmdir(const char *path)
{
	char abs[VFS_PATH_MAX];
	const struct fs_ops *fs;
	const char *rel;
	int err = on_path(path, &fs, &rel, abs);

	if (!err)
		err = !*rel ? -EBUSY : fs->rmdir ? fs->rmdir(rel) : -EROFS;
	return (int)fd_ret(err);
}

int unlink(const char *path)
{
	char abs[VFS_PATH_MAX];
	const struct fs_ops *fs;
	const char *rel;
	int err = on_path(path, &fs, &rel, abs);

	if (!err)
		err = !*rel ? -EISDIR : fs->unlink ? fs->unlink(rel) : -EROFS;
	return (int)fd_ret(err);
}

int rename(const char *from, const char *to)
{
	char afrom[VFS_PATH_MAX], ato[VFS_PATH_MAX];
	const struct fs_ops *f1, *f2;
	const char *r1, *r2;
	int err = on_path(from, &f1, &r1, afrom);

	if (!err)
		err = on_path(to, &f2, &r2, ato);
	if (!err)
		err = f1 != f2 ? -EXDEV : !*r1 || !*r2 ? -EBUSY :
		      f1->rename ? f1->rename(r1, r2) : -EROFS;
	return (int)fd_ret(err);
}

int truncate(const char *path, off_t len)
{
	int fd = open(path, O_WRONLY);

	if (fd < 0)
		return -1;
	int r = ftruncate(fd, len);
	int saved = errno;
	close(fd);
	errno = saved;
	return r;
}

/* Hard links: within one volume (the other file systems hold none). */
int link(const char *from, const char *to)
{
	char afrom[VFS_PATH_MAX], ato[VFS_PATH_MAX];
	const struct fs_ops *f1, *f2;
	const char *r1, *r2;
	int err = on_path(from, &f1, &r1, afrom);

	if (!err)
		err = on_path(to, &f2, &r2, ato);
	if (err)
		return (int)fd_ret(err);
	if (!f1->link)
		return shim_unsupported("link", EPERM, "EPERM");
	return (int)fd_ret(f1 != f2 ? -EXDEV : !*r2 ? -EEXIST : f1->link(r1, r2));
}
