/* A writable RAM file system mounted at /tmp: a tree of nodes under one lock; file data in one
 * growing buffer per file. An unlinked file lives on until its last descriptor closes. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "shim.h"
#include "vfs.h"

#define NAME_MAX_LEN 255

struct rnode {
	struct rnode *parent;     /* NULL once unlinked (and for the root) */
	struct rnode *children;   /* directories: first child */
	struct rnode *next;       /* next sibling */
	mode_t mode;
	ino_t ino;
	int opens;                /* open descriptions */
	time_t mtime;
	char *data;               /* regular files */
	size_t size, cap;
	char *name;
};

static struct sk_mutex lock = SK_MUTEX_INIT; /* guards every node */
static struct rnode *root;                    /* (lock) */
static ino_t next_ino = 2;                    /* (lock) */

static time_t now(void)
{
	return (time_t)(clock_realtime_ns() / 1000000000u);
}

static char *name_dup(const char *name, size_t len)
{
	char *s = malloc(len + 1);

	if (s) {
		memcpy(s, name, len);
		s[len] = '\0';
	}
	return s;
}

static struct rnode *node_new(const char *name, size_t len, mode_t mode)
{
	struct rnode *n = calloc(1, sizeof(*n));

	if (!n || !(n->name = name_dup(name, len))) {
		free(n);
		return NULL;
	}
	n->mode = mode;
	n->ino = next_ino++;
	n->mtime = now();
	return n;
}

/* Lock held. The root, created on first use. */
static struct rnode *get_root(void)
{
	if (!root)
		root = node_new("", 0, S_IFDIR | 01777);
	return root;
}

static struct rnode *child(struct rnode *dir, const char *name, size_t len)
{
	for (struct rnode *c = dir->children; c; c = c->next)
		if (strlen(c->name) == len && memcmp(c->name, name, len) == 0)
			return c;
	return NULL;
}

/* Lock held. Walk path; *last gets its final component (or "" for the root).
 * Returns the parent directory of that component, or NULL with *err set. */
static struct rnode *walk_parent(const char *path, const char **last, size_t *lastlen, int *err)
{
	struct rnode *dir = get_root();

	if (!dir) {
		*err = -ENOMEM;
		return NULL;
	}
	for (;;) {
		const char *slash = strchr(path, '/');
		size_t n = slash ? (size_t)(slash - path) : strlen(path);
		if (n > NAME_MAX_LEN) {
			*err = -ENAMETOOLONG;
			return NULL;
		}
		if (!slash) {
			*last = path;
			*lastlen = n;
			return dir;
		}
		dir = child(dir, path, n);
		if (!dir || !S_ISDIR(dir->mode)) {
			*err = dir ? -ENOTDIR : -ENOENT;
			return NULL;
		}
		path = slash + 1;
	}
}

/* Lock held. The node at path, or NULL with *err set. */
static struct rnode *find(const char *path, int *err)
{
	const char *last;
	size_t len;
	struct rnode *dir = walk_parent(path, &last, &len, err);

	if (!dir)
		return NULL;
	if (!len)
		return dir; /* the root */
	struct rnode *n = child(dir, last, len);
	if (!n)
		*err = -ENOENT;
	return n;
}

static void link_child(struct rnode *dir, struct rnode *n)
{
	n->parent = dir;
	n->next = dir->children;
	dir->children = n;
	dir->mtime = now();
}

static void unlink_child(struct rnode *n)
{
	struct rnode **p = &n->parent->children;

	while (*p != n)
		p = &(*p)->next;
	*p = n->next;
	n->parent->mtime = now();
	n->parent = NULL;
	n->next = NULL;
}

/* Lock held: free a node nobody can reach or has open. */
static void maybe_free(struct rnode *n)
{
	if (!n->parent && n != root && !n->opens) {
		free(n->data);
		free(n->name);
		free(n);
	}
}

static void fill_stat(const struct rnode *n, struct stat *st)
{
	memset(st, 0, sizeof(*st));
	st->st_mode = n->mode;
	st->st_dev = VFS_DEV_RAMFS;
	st->st_ino = n->ino;
	st->st_nlink = S_ISDIR(n->mode) ? 2 : 1;
	st->st_size = (off_t)n->size;
	st->st_blksize = 4096;
	st->st_blocks = (blkcnt_t)((n->cap + 511) / 512);
	st->st_mtime = st->st_atime = st->st_ctime = n->mtime;
}

/* ---------------------------------------------------------- open files */

/* Lock held: make room for size bytes (zero-filled growth). */
static int reserve(struct rnode *n, size_t size)
{
	if (size <= n->cap)
		return 0;
	size_t cap = n->cap ? n->cap : 256;
	while (cap < size)
		cap = cap < (1u << 20) ? cap * 2 : cap + (1u << 20);
	char *d = realloc(n->data, cap);
	if (!d)
		return -ENOSPC;
	memset(d + n->cap, 0, cap - n->cap);
	n->data = d;
	n->cap = cap;
	return 0;
}

static ssize_t r_pread(struct file *f, void *buf, size_t len, off_t off)
{
	struct rnode *n = f->priv;
	ssize_t r = 0;

	sk_mutex_lock(&lock);
	if ((size_t)off < n->size) {
		r = (ssize_t)(len < n->size - (size_t)off ? len : n->size - (size_t)off);
		memcpy(buf, n->data + off, (size_t)r);
	}
	sk_mutex_unlock(&lock);
	return r;
}

static ssize_t r_pwrite(struct file *f, const void *buf, size_t len, off_t off)
{
	struct rnode *n = f->priv;
	ssize_t r = (ssize_t)len;

	if ((uint64_t)off + len > (1ull << 40))
		return -EFBIG;
	sk_mutex_lock(&lock);
	int err = reserve(n, (size_t)off + len);
	if (err) {
		r = err;
	} else {
		if ((size_t)off > n->size)
			memset(n->data + n->size, 0, (size_t)off - n->size);
		memcpy(n->data + off, buf, len);
		if ((size_t)off + len > n->size)
			n->size = (size_t)off + len;
		n->mtime = now();
	}
	sk_mutex_unlock(&lock);
	return r;
}

static int r_truncate_locked(struct rnode *n, off_t len)
{
	int err = reserve(n, (size_t)len);

	if (err)
		return err;
	if ((size_t)len < n->size)
		memset(n->data + len, 0, n->size - (size_t)len);
	n->size = (size_t)len;
	n->mtime = now();
	return 0;
}

static int r_ftruncate(struct file *f, off_t len)
{
	sk_mutex_lock(&lock);
	int err = r_truncate_locked(f->priv, len);
	sk_mutex_unlock(&lock);
	return err;
}

/* Lock held: chmod's permission bits and utimes' time (-1: leave as is). */
static void set_attr(struct rnode *n, mode_t mode, time_t mtime)
{
	if (mode != (mode_t)-1)
		n->mode = (n->mode & S_IFMT) | (mode & 07777);
	if (mtime != (time_t)-1)
		n->mtime = mtime;
}

static int r_fsetattr(struct file *f, mode_t mode, time_t mtime)
{
	sk_mutex_lock(&lock);
	set_attr(f->priv, mode, mtime);
	sk_mutex_unlock(&lock);
	return 0;
}

static int r_fstat(struct file *f, struct stat *st)
{
	sk_mutex_lock(&lock);
	fill_stat(f->priv, st);
	sk_mutex_unlock(&lock);
	return 0;
}

/* Directory positions: 0 ".", 1 "..", 2 + k the k-th child. */
static int r_readdir(struct file *f, long *pos, struct dirent *de)
{
	struct rnode *d = f->priv;
	int r = 0;

	sk_mutex_lock(&lock);
	if (*pos < 2) {
		struct rnode *up = *pos && d->parent ? d->parent : d;
		vfs_dirent(de, "..", (size_t)(*pos + 1), up->ino, S_IFDIR);
		r = 1;
	} else {
		struct rnode *c = d->children;
		for (long k = 2; c && k < *pos; k++)
			c = c->next;
		if (c) {
			vfs_dirent(de, c->name, strlen(c->name), c->ino, c->mode);
			r = 1;
		}
	}
	if (r)
		(*pos)++;
	sk_mutex_unlock(&lock);
	return r;
}

static int r_close(struct file *f)
{
	struct rnode *n = f->priv;

	sk_mutex_lock(&lock);
	n->opens--;
	maybe_free(n);
	sk_mutex_unlock(&lock);
	return 0;
}

static const struct file_ops reg_ops = {
	.pread = r_pread,
	.pwrite = r_pwrite,
	.ftruncate = r_ftruncate,
	.fstat = r_fstat,
	.setattr = r_fsetattr,
	.close = r_close,
};

static const struct file_ops dir_ops = {
	.fstat = r_fstat,
	.setattr = r_fsetattr,
	.readdir = r_readdir,
	.close = r_close,
};

/* ---------------------------------------------------------- file system */

static int r_open(const char *path, int flags, mode_t mode, struct file **out)
{
	int err = 0, acc = flags & O_ACCMODE;
	const char *last;
	size_t len;

	sk_mutex_lock(&lock);
	struct rnode *dir = walk_parent(path, &last, &len, &err);
	struct rnode *n = !dir ? NULL : len ? child(dir, last, len) : dir;
	if (!dir) {
		/* err is set */
	} else if (!n && !(flags & O_CREAT)) {
		err = -ENOENT;
	} else if (n && (flags & O_CREAT) && (flags & O_EXCL)) {
		err = -EEXIST;
	} else if (!n && (flags & O_DIRECTORY)) {
		err = -ENOENT;
	} else if (!n) {
		n = node_new(last, len, S_IFREG | (mode & 0777));
		if (n)
			link_child(dir, n);
		else
			err = -ENOSPC;
	} else if (S_ISDIR(n->mode) && (acc != O_RDONLY || (flags & O_TRUNC))) {
		err = -EISDIR;
	} else if (!S_ISDIR(n->mode) && (flags & O_DIRECTORY)) {
		err = -ENOTDIR;
	} else if ((flags & O_TRUNC) && acc != O_RDONLY) {
		err = r_truncate_locked(n, 0);
	}
	if (!err) {
		*out = file_new(S_ISDIR(n->mode) ? &dir_ops : &reg_ops, flags, n);
		if (*out)
			n->opens++;
		else
			err = -ENOMEM;
	}
	sk_mutex_unlock(&lock);
	return err;
}

static int r_stat(const char *path, struct stat *st)
{
	int err = 0;

	sk_mutex_lock(&lock);
	struct rnode *n = find(path, &err);
	if (n)
		fill_stat(n, st);
	sk_mutex_unlock(&lock);
	return err;
}

static int r_setattr(const char *path, mode_t mode, time_t mtime)
{
	int err = 0;

	sk_mutex_lock(&lock);
	struct rnode *n = find(path, &err);
	if (n)
		set_attr(n, mode, mtime);
	sk_mutex_unlock(&lock);
	return err;
}

static int r_mkdir(const char *path, mode_t mode)
{
	int err = 0;
	const char *last;
	size_t len;

	sk_mutex_lock(&lock);
	struct rnode *dir = walk_parent(path, &last, &len, &err);
	if (dir && child(dir, last, len)) {
		err = -EEXIST;
	} else if (dir) {
		struct rnode *n = node_new(last, len, S_IFDIR | (mode & 07777));
		if (n)
			link_child(dir, n);
		else
			err = -ENOSPC;
	}
	sk_mutex_unlock(&lock);
	return err;
}

static int remove_node(const char *path, int want_dir)
{
	int err = 0;

	sk_mutex_lock(&lock);
	struct rnode *n = find(path, &err);
	if (n && want_dir && !S_ISDIR(n->mode))
		err = -ENOTDIR;
	else if (n && !want_dir && S_ISDIR(n->mode))
		err = -EISDIR;
	else if (n && n->children)
		err = -ENOTEMPTY;
	else if (n) {
		unlink_child(n);
		maybe_free(n);
	}
	sk_mutex_unlock(&lock);
	return err;
}

static int r_rmdir(const char *path)
{
	return remove_node(path, 1);
}

static int r_unlink(const char *path)
{
	return remove_node(path, 0);
}

static int r_rename(const char *from, const char *to)
{
	int err = 0;
	const char *last;
	size_t len;
	char *name = NULL;

	sk_mutex_lock(&lock);
	struct rnode *n = find(from, &err);
	struct rnode *dir = n ? walk_parent(to, &last, &len, &err) : NULL;
	struct rnode *old = dir ? child(dir, last, len) : NULL;
	for (struct rnode *up = dir; n && up && !err; up = up->parent)
		if (up == n)
			err = -EINVAL; /* into its own subtree */
	if (!dir || err || old == n) {
		/* err is set, or renaming a file to itself does nothing */
	} else if (old && S_ISDIR(old->mode) && !S_ISDIR(n->mode)) {
		err = -EISDIR;
	} else if (old && !S_ISDIR(old->mode) && S_ISDIR(n->mode)) {
		err = -ENOTDIR;
	} else if (old && old->children) {
		err = -ENOTEMPTY;
	} else if (!(name = name_dup(last, len))) {
		err = -ENOMEM;
	} else {
		if (old) {
			unlink_child(old);
			maybe_free(old);
		}
		unlink_child(n);
		free(n->name);
		n->name = name;
		link_child(dir, n);
	}
	sk_mutex_unlock(&lock);
	return err;
}

const struct fs_ops ramfs_fs = {
	.open = r_open,
	.stat = r_stat,
	.setattr = r_setattr,
	.mkdir = r_mkdir,
	.rmdir = r_rmdir,
	.unlink = r_unlink,
	.rename = r_rename,
};
