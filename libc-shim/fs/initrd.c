/* The initrd: a cpio (newc) archive linked into the image by `skiff build --files DIR`,
 * mounted read-only at /. Indexed once, sorted by path; files are read in place; symbolic
 * links are entries whose data is the target (path.c follows them). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "initrd_index.h"
#include "shim.h"
#include "vfs.h"

/* From the generated initrd object; absent (NULL) in images without --files. */
extern const uint8_t skiff_initrd_start[] __attribute__((weak));
extern const uint8_t skiff_initrd_end[] __attribute__((weak));

static struct initrd_index ix; /* written once under index_lock */
static int indexed;
static struct sk_mutex index_lock = SK_MUTEX_INIT;

static void build_index(void)
{
	sk_mutex_lock(&index_lock);
	const uint8_t *start = skiff_initrd_start, *end = skiff_initrd_end;
	if (!indexed && start && end > start &&
	    initrd_index_build(&ix, start, (size_t)(end - start)) != 0)
		shim_log_once("initrd-nomem", "out of memory indexing the initrd");
	indexed = 1;
	sk_mutex_unlock(&index_lock);
}

static void fill_stat(struct stat *st, mode_t mode, size_t size, ino_t ino, time_t mtime)
{
	memset(st, 0, sizeof(*st));
	st->st_mode = mode;
	st->st_dev = VFS_DEV_INITRD;
	st->st_size = (off_t)size;
	st->st_ino = ino;
	st->st_nlink = S_ISDIR(mode) ? 2 : 1;
	st->st_blksize = 4096;
	st->st_blocks = (blkcnt_t)((size + 511) / 512);
	st->st_mtime = st->st_atime = st->st_ctime = mtime;
}

#define ROOT_INO 1
#define IMPLIED_INO 0x8000 /* + index; inode numbers are 16 bits and may wrap */
#define DIR_MODE (S_IFDIR | 0555)

/* ------------------------------------------------------------- open files */

/* An open directory remembers its path with a trailing slash ("" for the
 * root) in priv; an open file its entry. */
struct idir {
	size_t len;
	ino_t ino;
	char path[];
};

static ssize_t file_pread(struct file *f, void *buf, size_t n, off_t off)
{
	const struct ientry *e = f->priv;

	if ((size_t)off >= e->size)
		return 0;
	if (n > e->size - (size_t)off)
		n = e->size - (size_t)off;
	memcpy(buf, e->data + off, n);
	return (ssize_t)n;
}

static int file_fstat(struct file *f, struct stat *st)
{
	const struct ientry *e = f->priv;

	fill_stat(st, e->mode, e->size, e->ino, e->mtime);
	return 0;
}

static const struct file_ops file_ops = {
	.pread = file_pread,
	.fstat = file_fstat,
};

static int dir_fstat(struct file *f, struct stat *st)
{
	const struct idir *d = f->priv;

	fill_stat(st, DIR_MODE, 0, d->ino, 0);
	return 0;
}

/* Positions: 0 ".", 1 "..", 2 + k the k-th entry from the directory's first
 * descendant, then at the root the mount points "dev" and "tmp". */
static int dir_readdir(struct file *f, long *pos, struct dirent *de)
{
	static const char *const mounts[] = { "dev", "tmp" };
	const struct idir *d = f->priv;
	size_t start = d->len ? initrd_lower_bound(&ix, d->path, d->len) : 0;

	if (*pos < 2) {
		vfs_dirent(de, "..", (size_t)(*pos + 1), *pos ? ROOT_INO : d->ino, DIR_MODE);
		(*pos)++;
		return 1;
	}
	const char *name;
	size_t n, i = start + (size_t)*pos - 2;
	int found = initrd_next_child(&ix, d->path, d->len, &i, &name, &n);
	*pos = (long)(i - start + 2);
	if (found) {
		const struct ientry *e = &ix.entries[i - 1];
		int implied = name[n] == '/';
		vfs_dirent(de, name, n, implied ? (ino_t)(IMPLIED_INO + (i - 1)) : e->ino,
			   implied ? DIR_MODE : e->mode);
		return 1;
	}
	if (d->len)
		return 0;
	size_t m = (size_t)*pos - 2 - ix.n;
	if (m >= 2)
		return 0;
	vfs_dirent(de, mounts[m], 3, 0, DIR_MODE);
	(*pos)++;
	return 1;
}

static int dir_close(struct file *f)
{
	free(f->priv);
	return 0;
}

static const struct file_ops dir_ops = {
	.fstat = dir_fstat,
	.readdir = dir_readdir,
	.close = dir_close,
};

/* ------------------------------------------------------------ file system */

static int initrd_open(const char *path, int flags, mode_t mode, struct file **out)
{
	const struct ientry *e = NULL;
	int implied = 0;
	size_t len = strlen(path);

	(void)mode;
	build_index();
	if (len && !(e = initrd_lookup(&ix, path, len, &implied)))
		return flags & O_CREAT ? -EROFS : -ENOENT;
	if ((flags & O_CREAT) && (flags & O_EXCL))
		return -EEXIST;
	if (len && !implied && S_ISLNK(e->mode))
		return -ELOOP; /* only O_NOFOLLOW gets here: path.c follows links */
	int isdir = !len || implied || S_ISDIR(e->mode);
	if ((flags & O_ACCMODE) != O_RDONLY || (flags & O_TRUNC))
		return isdir ? -EISDIR : -EROFS;
	if ((flags & O_DIRECTORY) && !isdir)
		return -ENOTDIR;
	if (!isdir) {
		*out = file_new(&file_ops, O_RDONLY, (void *)e);
		return *out ? 0 : -ENOMEM;
	}
	struct idir *d = malloc(sizeof(*d) + len + 2);
	if (!d)
		return -ENOMEM;
	d->len = len ? len + 1 : 0;
	d->ino = !len ? ROOT_INO : implied ? (ino_t)(IMPLIED_INO + (e - ix.entries)) : e->ino;
	memcpy(d->path, path, len);
	d->path[len] = '/';
	d->path[d->len] = '\0';
	if (!(*out = file_new(&dir_ops, O_RDONLY, d))) {
		free(d);
		return -ENOMEM;
	}
	return 0;
}

static int initrd_stat(const char *path, struct stat *st)
{
	const struct ientry *e;
	int implied;
	size_t len = strlen(path);

	build_index();
	if (!len) {
		fill_stat(st, DIR_MODE, 0, ROOT_INO, 0);
		return 0;
	}
	if (!(e = initrd_lookup(&ix, path, len, &implied)))
		return -ENOENT;
	if (implied)
		fill_stat(st, DIR_MODE, 0, (ino_t)(IMPLIED_INO + (e - ix.entries)), e->mtime);
	else
		fill_stat(st, e->mode, e->size, e->ino, e->mtime);
	return 0;
}

/* A symbolic link keeps its target as its data (cpio mode 0120000). */
static int initrd_readlink(const char *path, char *buf, size_t size)
{
	const struct ientry *e;
	int implied;
	size_t len = strlen(path);

	build_index();
	if (!len)
		return -EINVAL;
	if (!(e = initrd_lookup(&ix, path, len, &implied)))
		return -ENOENT;
	if (implied || !S_ISLNK(e->mode))
		return -EINVAL;
	if (e->size > size)
		return -ENAMETOOLONG;
	memcpy(buf, e->data, e->size);
	return (int)e->size;
}

const struct fs_ops initrd_fs = {
	.open = initrd_open,
	.stat = initrd_stat,
	.readlink = initrd_readlink,
};
