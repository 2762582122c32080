/* Volumes: host directories shared over 9P2000.L, mounted in the guest's namespace (p9fs.c the calls, volumes.c the table). */
#ifndef SKIFF_SHIM_P9FS_H
#define SKIFF_SHIM_P9FS_H

#include <sys/types.h>

#include "p9conn.h"
#include "vfs.h"

struct stat;
struct statvfs;
struct flock;

struct p9vol {
	struct p9conn conn;
	char point[VFS_PATH_MAX]; /* guest mount point, absolute, normalised */
	size_t plen;
	int ro;                   /* mounted :ro (the server refuses changes too) */
	dev_t dev;                /* st_dev of its files */
	struct fs_ops ops;        /* this volume's entry points (volumes.c) */
};

/* p9fs.c: the file system calls on volume v; paths relative to its root. */
int p9fs_open(struct p9vol *v, const char *path, int flags, mode_t mode, struct file **out);
int p9fs_stat(struct p9vol *v, const char *path, struct stat *st);
int p9fs_setattr(struct p9vol *v, const char *path, mode_t mode, time_t mtime);
int p9fs_mkdir(struct p9vol *v, const char *path, mode_t mode);
int p9fs_rmdir(struct p9vol *v, const char *path);
int p9fs_unlink(struct p9vol *v, const char *path);
int p9fs_rename(struct p9vol *v, const char *from, const char *to);
int p9fs_readlink(struct p9vol *v, const char *path, char *buf, size_t size);
int p9fs_symlink(struct p9vol *v, const char *target, const char *path);
int p9fs_link(struct p9vol *v, const char *from, const char *to);
int p9fs_statvfs(struct p9vol *v, struct statvfs *buf);

/* volumes.c: the volume whose files have st_dev dev, or NULL. */
struct p9vol *vfs_volume_by_dev(dev_t dev);
/* The volume that holds normalised absolute path abs (longest mount point), or NULL. */
const struct fs_ops *vfs_volume_resolve(const char *abs, const char **rel);

#endif
