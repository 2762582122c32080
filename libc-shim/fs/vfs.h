/* libc-shim's file systems: the initrd at /, a RAM file system at /tmp, devices at /dev, volumes (9P) at their mount points. */
#ifndef SKIFF_SHIM_VFS_H
#define SKIFF_SHIM_VFS_H

#include <sys/types.h>

#include "fd.h"

#define VFS_PATH_MAX 1024

/* st_dev of each file system (newlib's ino_t is 16 bits: inode numbers wrap). */
#define VFS_DEV_INITRD 1
#define VFS_DEV_RAMFS 2
#define VFS_DEV_DEVFS 3
#define VFS_DEV_VOLUME 16 /* + the volume's index */

struct stat;
struct dirent;

/*
 * One mounted file system. Paths handed to it are relative to its mount
 * point, normalised (no ".", "..", "//", leading or trailing "/"); "" is its
 * root. Every member returns 0 (or a file) or -errno; missing ones answer
 * -EROFS (changes) or -ENOENT.
 */
struct fs_ops {
	/* flags: open(2)'s (O_CREAT, O_EXCL, O_TRUNC, O_DIRECTORY, access mode). */
	int (*open)(const char *path, int flags, mode_t mode, struct file **out);
	int (*stat)(const char *path, struct stat *st);
	/* chmod's permission bits and utimes' mtime; (mode_t)-1 or (time_t)-1
	 * leave that one alone. */
	int (*setattr)(const char *path, mode_t mode, time_t mtime);
	int (*mkdir)(const char *path, mode_t mode);
	int (*rmdir)(const char *path);
	int (*unlink)(const char *path);
	int (*rename)(const char *from, const char *to);
	/* A symbolic link's target into buf[size] (no NUL): its length, -EINVAL for a
	 * file that is no link, -ENOENT; NULL where the file system holds no links. */
	int (*readlink)(const char *path, char *buf, size_t size);
	/* A new symbolic link at path holding target; a hard link `to` for `from`. */
	int (*symlink)(const char *target, const char *path);
	int (*link)(const char *from, const char *to);
	/* How many leading components of path exist and are no symbolic link (one
	 * exchange for the whole path where the file system is remote); NULL: ask
	 * readlink for each. */
	int (*plain_prefix)(const char *path);
};

/* path.c */
/* Absolute, normalised form of path (relative to the cwd) in out[VFS_PATH_MAX], with
 * every symbolic link in it followed (-ELOOP past 40 of them). */
int vfs_normalise(const char *path, char *out);
/* The same, but a symbolic link as the last component is left as it is (lstat,
 * readlink, unlink, O_NOFOLLOW). */
int vfs_normalise_nofollow(const char *path, char *out);
/* "." and ".." and "//" resolved in absolute path, no link followed (mount points). */
int vfs_normalise_lexical(const char *path, char *out);
/* The file system that holds normalised path abs, and the path within it: the
 * volume with the longest mount point that holds it, else /tmp, /dev or the initrd. */
const struct fs_ops *vfs_resolve(const char *abs, const char **rel);

/* initrd.c, ramfs.c, devfs.c */
extern const struct fs_ops initrd_fs, ramfs_fs, devfs_fs;

/* dir.c: fill a struct dirent for a file of st_mode `mode`. */
void vfs_dirent(struct dirent *de, const char *name, size_t namelen, ino_t ino, mode_t mode);

#endif
