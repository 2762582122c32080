/* Paths: the working directory (chdir, getcwd), normalisation, and which file system holds a path. */
#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <string.h>
#include <unistd.h>

#include "shim.h"
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

int vfs_normalise(const char *path, char *out)
{
	size_t len = 0;
	int err = 0;

	if (!path)
		return -EFAULT;
	if (!*path)
		return -ENOENT;
	if (strlen(path) >= VFS_PATH_MAX)
		return -ENAMETOOLONG;
	if (path[0] != '/') {
		sk_mutex_lock(&cwd_lock);
		err = walk(cwd, out, &len);
		sk_mutex_unlock(&cwd_lock);
	}
	if (!err)
		err = walk(path, out, &len);
	if (err)
		return err;
	if (len == 0)
		out[len++] = '/';
	out[len] = '\0';
	return 0;
}

/* "/tmp/x" -> ramfs "x"; "/dev/vda" -> devfs "vda"; else the initrd. */
const struct fs_ops *vfs_resolve(const char *abs, const char **rel)
{
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
