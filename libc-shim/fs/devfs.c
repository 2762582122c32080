/* /dev: null, zero, urandom (random), memstats, irqstats and the block devices vda, vdb, ... */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "blkfile.h"
#include "memstats.h"
#include "shim.h"
#include "vfs.h"

enum { DEV_NULL, DEV_ZERO, DEV_URANDOM, DEV_RANDOM };

static const char *const names[] = { "null", "zero", "urandom", "random" };
#define NCHAR (sizeof(names) / sizeof(names[0]))
#define NBLK 4 /* vda..vdd */
#define DEV_INO 2 /* newlib's ino_t is 16 bits */

static ssize_t c_read(struct file *f, void *buf, size_t n)
{
	if (f->handle == DEV_NULL)
		return 0;
	if (f->handle == DEV_ZERO) {
		memset(buf, 0, n);
		return (ssize_t)n;
	}
	for (size_t done = 0; done < n;) { /* getentropy gives 256 bytes a call */
		size_t k = n - done < 256 ? n - done : 256;
		if (getentropy((char *)buf + done, k))
			return done ? (ssize_t)done : -EIO;
		done += k;
	}
	return (ssize_t)n;
}

static ssize_t c_write(struct file *f, const void *buf, size_t n)
{
	(void)f;
	(void)buf;
	return (ssize_t)n;
}

static int c_fstat(struct file *f, struct stat *st)
{
	memset(st, 0, sizeof(*st));
	st->st_mode = S_IFCHR | 0666;
	st->st_dev = VFS_DEV_DEVFS;
	st->st_ino = DEV_INO + 1 + (ino_t)f->handle;
	st->st_rdev = f->handle;
	st->st_blksize = 4096;
	return 0;
}

static const struct file_ops char_ops = {
	.read = c_read,
	.write = c_write,
	.fstat = c_fstat,
};

/* Block device number for "vda".."vdd", else -1. */
static int blk_index(const char *path)
{
	if (strlen(path) == 3 && path[0] == 'v' && path[1] == 'd' && path[2] >= 'a' &&
	    path[2] < 'a' + NBLK)
		return path[2] - 'a';
	return -1;
}

static int char_index(const char *path)
{
	for (size_t i = 0; i < NCHAR; i++)
		if (strcmp(path, names[i]) == 0)
			return (int)i;
	return -1;
}

static int d_fstat(struct file *f, struct stat *st)
{
	(void)f;
	memset(st, 0, sizeof(*st));
	st->st_mode = S_IFDIR | 0755;
	st->st_dev = VFS_DEV_DEVFS;
	st->st_ino = DEV_INO;
	st->st_nlink = 2;
	return 0;
}

/* 0 ".", 1 "..", 2.. the character devices, the block devices present, the stat files. */
static int d_readdir(struct file *f, long *pos, struct dirent *de)
{
	(void)f;
	for (;; (*pos)++) {
		long k = *pos;
		if (k < 2) {
			vfs_dirent(de, "..", (size_t)k + 1, k ? 1 : DEV_INO, S_IFDIR);
		} else if (k < 2 + (long)NCHAR) {
			const char *n = names[k - 2];
			vfs_dirent(de, n, strlen(n), DEV_INO + 1 + (ino_t)(k - 2), S_IFCHR);
		} else if (k < 2 + (long)NCHAR + NBLK) {
			char n[4] = { 'v', 'd', (char)('a' + k - 2 - (long)NCHAR), 0 };
			struct stat st;
			if (blkfile_stat((int)(k - 2 - (long)NCHAR), &st))
				continue;
			vfs_dirent(de, n, 3, st.st_ino, S_IFBLK);
		} else if (k < 2 + (long)NCHAR + NBLK + STATFILES) {
			const char *n = statfile_name((int)(k - 2 - (long)NCHAR - NBLK));
			vfs_dirent(de, n, strlen(n), STATFILE_INO + (ino_t)(k - 2 - (long)NCHAR - NBLK),
				   S_IFREG);
		} else {
			return 0;
		}
		(*pos)++;
		return 1;
	}
}

static const struct file_ops dir_ops = {
	.fstat = d_fstat,
	.readdir = d_readdir,
};

static int dev_open(const char *path, int flags, mode_t mode, struct file **out)
{
	int i;

	(void)mode;
	if (!*path) {
		if ((flags & O_ACCMODE) != O_RDONLY)
			return -EISDIR;
		*out = file_new(&dir_ops, O_RDONLY, NULL);
	} else if ((i = char_index(path)) >= 0) {
		if (flags & O_DIRECTORY)
			return -ENOTDIR;
		if ((*out = file_new(&char_ops, flags, NULL)))
			(*out)->handle = i;
	} else if ((i = blk_index(path)) >= 0) {
		return flags & O_DIRECTORY ? -ENOTDIR : blkfile_open(i, flags, out);
	} else if ((i = statfile_index(path)) >= 0) {
		return statfile_open(i, flags, out);
	} else {
		return flags & O_CREAT ? -EACCES : -ENOENT;
	}
	return *out ? 0 : -ENOMEM;
}

static int dev_stat(const char *path, struct stat *st)
{
	struct file f = { .handle = char_index(path) };
	int b;

	if (!*path)
		return d_fstat(NULL, st);
	if (f.handle >= 0)
		return c_fstat(&f, st);
	if ((b = blk_index(path)) >= 0)
		return blkfile_stat(b, st);
	if ((b = statfile_index(path)) >= 0)
		return statfile_stat(b, st);
	return -ENOENT;
}

const struct fs_ops devfs_fs = {
	.open = dev_open,
	.stat = dev_stat,
};
