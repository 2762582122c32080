/* Paths: the working directory (chdir, getcwd), normalisation with symbolic links followed, and which file system (mount) holds a path. */
#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <string.h>
#include <unistd.h>

#include "shim.h"
#include "p9fs.h"
#include "vfs.h"

static char cwd[VFS_PATH_MAX] = "/"; /* (cwd_lock) */
static struct sk_mutex cwd_lock = SK_MUTEX_INIT;

/* Append component c[0..n) to out (length *len), resolving "." and "..". */
static int push(char *out, size_t *len, const char *c, size_t n)
{
	if (n == 0 || (n == 1 && c[0] == '.'))
		return 0;
	if (n == 2 && c[0] == '.' && c[1] == '.') {
		while (*len > 0 && out[*len - 1] != '/')
			(*len)--;
		if (*len > 0)
			(*len)--; /* the slash; the root stays "" */
		return 0;
	}
	if (*len + 1 + n >= VFS_PATH_MAX)
		return -ENAMETOOLONG;
	out[(*len)++] = '/';
	memcpy(out + *len, c, n);
	*len += n;
	return 0;
}

static int walk(const char *p, char *out, size_t *len)
{
	while (*p) {
		const char *slash = strchr(p, '/');
		size_t n = slash ? (size_t)(slash - p) : strlen(p);
		int err = push(out, len, p, n);
		if (err)
			return err;
		p += n + (slash ? 1 : 0);
	}
	return 0;
}

/* Target of the symbolic link at absolute path abs into tgt[VFS_PATH_MAX] (not
 * NUL-terminated): its length, or -EINVAL when abs is no link. */
static int link_target(const char *abs, char *tgt)
{
	const char *rel;
	const struct fs_ops *fs = vfs_resolve(abs, &rel);

	return fs->readlink && *rel ? fs->readlink(rel, tgt, VFS_PATH_MAX - 1) : -EINVAL;
}

#define MAX_LINKS 40 /* as Linux's MAXSYMLINKS: more is a loop (ELOOP) */

/* What one lookup has learnt: known[0..*klen) is an absolute path whose every leading
 * component exists and is no symbolic link. */
static int known_plain(const char *out, size_t len, const char *known, size_t klen)
{
	return len <= klen && memcmp(out, known, len) == 0 && (len == klen || known[len] == '/');
}

/* Ask a file system that can say it in one exchange (a volume) which of out's
 * components and the names still to come (rest, up to a ".", ".." or "") are plain;
 * fills known/klen. */
static void look_ahead(const char *out, size_t len, const char *rest, char *known, size_t *klen)
{
	const char *rel, *rel2;
	const struct fs_ops *fs = vfs_resolve(out, &rel);
	size_t n = len;

	*klen = 0;
	if (!fs->plain_prefix || !*rel)
		return;
	memcpy(known, out, len);
	while (*rest) {
		const char *slash = strchr(rest, '/');
		size_t c = slash ? (size_t)(slash - rest) : strlen(rest);
		if (c == 0 || (c == 1 && rest[0] == '.') || (c == 2 && rest[0] == '.' && rest[1] == '.') ||
		    n + 1 + c >= VFS_PATH_MAX)
			break;
		known[n++] = '/';
		memcpy(known + n, rest, c);
		n += c;
		rest += c + (slash ? 1 : 0);
	}
	known[n] = '\0';
	if (vfs_resolve(known, &rel2) != fs) { /* a nested mount further on: only this far */
		n = len;
		known[n] = '\0';
		vfs_resolve(known, &rel2);
	}
	int plain = fs->plain_prefix(rel2);
	const char *q = rel2;
	for (int i = 0; i < plain && *q; i++) {
		const char *slash = strchr(q, '/');
		q = slash ? slash + 1 : q + strlen(q);
		if (i == plain - 1 && slash)
			q--; /* stop before the slash */
	}
	*klen = plain > 0 ? (size_t)(q - known) : 0;
}

/* Walk path one component at a time from the cwd (or /), replacing each symbolic link
 * met by its target (absolute targets start again at the guest's /); the last component
 * is followed only with follow_last, or when a slash comes after it. */
static int lookup(const char *path, char *out, int follow_last)
{
	char todo[VFS_PATH_MAX], tgt[VFS_PATH_MAX], known[VFS_PATH_MAX];
	size_t len = 0, klen = 0;
	int err = 0, links = 0;

	if (!path)
		return -EFAULT;
	if (!*path)
		return -ENOENT;
	size_t plen = strlen(path);
	if (plen >= VFS_PATH_MAX)
		return -ENAMETOOLONG;
	if (path[0] != '/') {
		sk_mutex_lock(&cwd_lock);
		err = walk(cwd, out, &len); /* chdir stored it with its links resolved */
		sk_mutex_unlock(&cwd_lock);
		if (err)
			return err;
	}
	memcpy(todo, path, plen + 1);
	const char *p = todo;
	while (*p) {
		const char *slash = strchr(p, '/');
		size_t n = slash ? (size_t)(slash - p) : strlen(p);
		const char *next = p + n + (slash ? 1 : 0);
		size_t before = len;
		if ((err = push(out, &len, p, n)))
			return err;
		p = next;
		if (len <= before || (!slash && !follow_last))
			continue; /* "", ".", "..", or the last name when it is not followed */
		out[len] = '\0';
		if (known_plain(out, len, known, klen))
			continue;
		look_ahead(out, len, next, known, &klen);
		if (known_plain(out, len, known, klen))
			continue;
		int t = link_target(out, tgt);
		if (t == -EINVAL || t == -ENOENT)
			continue; /* no link; a missing name is for the caller's operation (O_CREAT...) */
		if (t < 0)
			return t;
		if (++links > MAX_LINKS)
			return -ELOOP;
		if (t == 0)
			return -ENOENT;
		/* todo becomes target "/" rest; next points into todo, so move the rest first */
		size_t rest = strlen(next);
		if ((size_t)t + 1 + rest >= VFS_PATH_MAX)
			return -ENAMETOOLONG;
		memmove(todo + t + 1, next, rest + 1);
		memcpy(todo, tgt, (size_t)t);
		todo[t] = '/';
		p = todo;
		len = tgt[0] == '/' ? 0 : before; /* relative targets: from the link's directory */
		klen = 0;
	}
	if (len == 0)
		out[len++] = '/';
	out[len] = '\0';
	return 0;
}

int vfs_normalise_lexical(const char *path, char *out)
{
	size_t len = 0;
	if (path[0] != '/' || strlen(path) >= VFS_PATH_MAX)
		return -EINVAL;
	int err = walk(path, out, &len);
	if (err)
		return err;
	if (len == 0)
		out[len++] = '/';
	out[len] = '\0';
	return 0;
}

int vfs_normalise(const char *path, char *out)
{
	return lookup(path, out, 1);
}

int vfs_normalise_nofollow(const char *path, char *out)
{
	return lookup(path, out, 0);
}

/* A volume's mount point (the longest that holds abs); else "/tmp/x" -> ramfs "x";
 * "/dev/vda" -> devfs "vda"; else the initrd. */
const struct fs_ops *vfs_resolve(const char *abs, const char **rel)
{
	const struct fs_ops *vol = vfs_volume_resolve(abs, rel);
	if (vol)
		return vol;
	static const struct { const char *prefix; const struct fs_ops *fs; } mounts[] = {
		{ "/tmp", &ramfs_fs },
		{ "/dev", &devfs_fs },
	};
	for (size_t i = 0; i < sizeof(mounts) / sizeof(mounts[0]); i++) {
		size_t n = strlen(mounts[i].prefix);
		if (strncmp(abs, mounts[i].prefix, n) == 0 && (abs[n] == '\0' || abs[n] == '/')) {
			*rel = abs[n] ? abs + n + 1 : abs + n;
			return mounts[i].fs;
		}
	}
	*rel = abs + 1;
	return &initrd_fs;
}

int chdir(const char *path)
{
	char abs[VFS_PATH_MAX];
	struct stat st;
	int err = vfs_normalise(path, abs);

	if (!err && (err = stat(abs, &st) ? -errno : 0) == 0 && !S_ISDIR(st.st_mode))
		err = -ENOTDIR;
	if (err)
		return (int)fd_ret(err);
	sk_mutex_lock(&cwd_lock);
	strcpy(cwd, abs);
	sk_mutex_unlock(&cwd_lock);
	return 0;
}

char *getcwd(char *buf, size_t size)
{
	sk_mutex_lock(&cwd_lock);
	size_t n = strlen(cwd) + 1;
	if (!buf && size == 0)
		size = n;
	char *out = buf ? buf : (n <= size ? malloc(size) : NULL);
	if (out && n <= size)
		memcpy(out, cwd, n);
	sk_mutex_unlock(&cwd_lock);
	if (n > size) {
		errno = ERANGE;
		return NULL;
	}
	if (!out)
		errno = ENOMEM;
	return out;
}
