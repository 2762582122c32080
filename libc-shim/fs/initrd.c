/* The initrd: a cpio (newc) archive linked into the image by `skiff build --files DIR`,
 * mounted read-only at /. Indexed once, sorted by path; files are read in place. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cpio.h"
#include "shim.h"
#include "vfs.h"

/* From the generated initrd object; absent (NULL) in images without --files. */
extern const uint8_t skiff_initrd_start[] __attribute__((weak));
extern const uint8_t skiff_initrd_end[] __attribute__((weak));

struct ientry {
	const char *path;  /* NUL-terminated, inside the archive, no leading "./" */
	size_t len;
	const uint8_t *data;
	size_t size;
	mode_t mode;
	ino_t ino;
	time_t mtime;
};

static struct ientry *entries; /* sorted by path; written once under index_lock */
static size_t nentries;
static int indexed;
static struct sk_mutex index_lock = SK_MUTEX_INIT;

static int by_path(const void *a, const void *b)
{
	return strcmp(((const struct ientry *)a)->path, ((const struct ientry *)b)->path);
}

/* Count, then fill, the entries of the archive; a malformed tail is ignored. */
static size_t scan(const uint8_t *buf, size_t len, struct ientry *out)
{
	struct cpio_entry e;
	size_t off = 0, n = 0;

	while (cpio_next(buf, len, &off, &e) == 1) {
		const char *p = e.name;
		while (*p == '/' || (p[0] == '.' && p[1] == '/'))
			p += *p == '/' ? 1 : 2;
		if (!*p || strcmp(p, ".") == 0)
			continue;
		if (out) {
			mode_t type = e.mode & S_IFMT;
			out[n] = (struct ientry){
				.path = p, .len = strlen(p), .data = e.data, .size = e.size,
				.mode = (type ? type : S_IFREG) | (e.mode & 07777),
				.ino = (ino_t)(n + 2), .mtime = e.mtime,
			};
		}
		n++;
	}
	return n;
}

static void build_index(void)
{
	sk_mutex_lock(&index_lock);
	const uint8_t *start = skiff_initrd_start, *end = skiff_initrd_end;
	if (!indexed && start && end > start) {
		size_t len = (size_t)(end - start);
		size_t n = scan(start, len, NULL);
		entries = n ? calloc(n, sizeof(*entries)) : NULL;
		if (entries) {
			nentries = scan(start, len, entries);
			qsort(entries, nentries, sizeof(*entries), by_path);
		} else if (n) {
			shim_log_once("initrd-nomem", "out of memory indexing the initrd");
		}
	}
	indexed = 1;
	sk_mutex_unlock(&index_lock);
}

/* First entry whose path is >= key. */
static size_t lower_bound(const char *key, size_t keylen)
{
	size_t lo = 0, hi = nentries;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (strncmp(entries[mid].path, key, keylen) < 0 ||
		    (strncmp(entries[mid].path, key, keylen) == 0 && entries[mid].len < keylen))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Does entries[i].path start with prefix[0..n)? */
static int starts_with(size_t i, const char *prefix, size_t n)
{
	return i < nentries && entries[i].len >= n && strncmp(entries[i].path, prefix, n) == 0;
}

/* The entry for path[0..len), or NULL. *implied is set for a directory that
 * only exists as the parent of other entries. */
static const struct ientry *lookup(const char *path, size_t len, int *implied)
{
	size_t i = lower_bound(path, len);

	*implied = 0;
	if (i < nentries && entries[i].len == len && strncmp(entries[i].path, path, len) == 0)
		return &entries[i];
	/* "a/b" implied by "a/b/c": the first such entry sorts after "a/b" and any "a/b-..." */
	for (; i < nentries && strncmp(entries[i].path, path, len) == 0; i++) {
		if (entries[i].path[len] == '/') {
			*implied = 1;
			return &entries[i];
		}
	}
	return NULL;
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

/* The child of directory d (path "a/b/", or "" for the root) that entries[i]
 * names or lies under: 1 with *name and *n set, or 0 when entries[i] is not to be
 * listed (deeper than a child already listed, or shadowed by a mount). */
static int child_at(const struct idir *d, size_t i, const char **name, size_t *n)
{
	int implied;
	const char *p = entries[i].path + d->len, *slash = strchr(p, '/');

	*name = p;
	*n = slash ? (size_t)(slash - p) : strlen(p);
	if (!d->len && *n == 3 && (!strncmp(p, "dev", 3) || !strncmp(p, "tmp", 3)))
		return 0;
	if (!slash)
		return 1;
	/* A directory with no entry of its own, implied by a deeper path: list
	 * it once, at its first descendant. */
	size_t plen = d->len + *n + 1;
	if (i > 0 && starts_with(i - 1, entries[i].path, plen))
		return 0;
	return lookup(entries[i].path, plen - 1, &implied) == &entries[i] && implied;
}

/* Positions: 0 ".", 1 "..", 2 + k the k-th entry from the directory's first
 * descendant, then at the root the mount points "dev" and "tmp". */
static int dir_readdir(struct file *f, long *pos, struct dirent *de)
{
	static const char *const mounts[] = { "dev", "tmp" };
	const struct idir *d = f->priv;
	size_t start = d->len ? lower_bound(d->path, d->len) : 0;

	if (*pos < 2) {
		vfs_dirent(de, "..", (size_t)(*pos + 1), *pos ? ROOT_INO : d->ino, DIR_MODE);
		(*pos)++;
		return 1;
	}
	for (size_t i = start + (size_t)*pos - 2; starts_with(i, d->path, d->len); i++) {
		const char *name;
		size_t n;
		*pos = (long)(i - start + 3);
		if (entries[i].len > d->len && child_at(d, i, &name, &n)) {
			int implied = name[n] == '/';
			vfs_dirent(de, name, n, implied ? (ino_t)(IMPLIED_INO + i) : entries[i].ino,
				   implied ? DIR_MODE : entries[i].mode);
			return 1;
		}
	}
	if (d->len)
		return 0;
	size_t m = (size_t)*pos - 2 - nentries;
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
	if (len && !(e = lookup(path, len, &implied)))
		return flags & O_CREAT ? -EROFS : -ENOENT;
	if ((flags & O_CREAT) && (flags & O_EXCL))
		return -EEXIST;
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
	d->ino = !len ? ROOT_INO : implied ? (ino_t)(IMPLIED_INO + (e - entries)) : e->ino;
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
	if (!(e = lookup(path, len, &implied)))
		return -ENOENT;
	if (implied)
		fill_stat(st, DIR_MODE, 0, (ino_t)(IMPLIED_INO + (e - entries)), e->mtime);
	else
		fill_stat(st, e->mode, e->size, e->ino, e->mtime);
	return 0;
}

const struct fs_ops initrd_fs = {
	.open = initrd_open,
	.stat = initrd_stat,
};
