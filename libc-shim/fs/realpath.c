/* realpath: the absolute path with ".", "..", "//" and symbolic links resolved, each component checked to exist. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vfs.h"

#define LINKS_MAX 40 /* as Linux: more links in one lookup is ELOOP */

/* Resolve path into out[VFS_PATH_MAX]; 0 or an errno. */
static int resolve(const char *path, char *out)
{
	char rest[VFS_PATH_MAX], target[VFS_PATH_MAX];
	struct stat st;
	size_t len = 0;
	int links = 0;

	if (!path)
		return EINVAL;
	if (!*path)
		return ENOENT;
	if (strlen(path) >= sizeof(rest))
		return ENAMETOOLONG;
	strcpy(rest, path);
	if (rest[0] != '/') {
		if (!getcwd(out, VFS_PATH_MAX))
			return errno;
		len = strlen(out);
		if (len == 1)
			len = 0; /* "/" is the empty prefix */
	}
	out[len] = '\0';
	size_t at = 0; /* where the unresolved part of rest starts */
	while (rest[at]) {
		while (rest[at] == '/')
			at++;
		size_t n = strcspn(rest + at, "/");
		if (n == 0)
			break;
		const char *c = rest + at;
		if (n == 1 && c[0] == '.') {
			at += n; /* the directory itself: already checked */
			continue;
		}
		if (n == 2 && c[0] == '.' && c[1] == '.') {
			while (len > 0 && out[len - 1] != '/')
				len--;
			if (len > 0)
				len--;
			out[len] = '\0';
			at += n;
			continue;
		}
		if (len + 1 + n >= VFS_PATH_MAX)
			return ENAMETOOLONG;
		size_t parent = len;
		out[len++] = '/';
		memcpy(out + len, c, n);
		len += n;
		out[len] = '\0';
		at += n;
		if (lstat(out, &st))
			return errno;
		if (S_ISLNK(st.st_mode)) {
			if (++links > LINKS_MAX)
				return ELOOP;
			ssize_t t = readlink(out, target, sizeof(target) - 1);
			if (t < 0)
				return errno;
			target[t] = '\0';
			/* the rest of the path now follows the link's target */
			if ((size_t)t + 1 + strlen(rest + at) >= sizeof(rest))
				return ENAMETOOLONG;
			memmove(rest + t, rest + at, strlen(rest + at) + 1);
			memcpy(rest, target, (size_t)t);
			at = 0;
			len = target[0] == '/' ? 0 : parent; /* absolute: from the root */
			out[len] = '\0';
			continue;
		}
		if (rest[at] == '/' && !S_ISDIR(st.st_mode))
			return ENOTDIR;
	}
	if (len == 0)
		strcpy(out, "/");
	return 0;
}

char *realpath(const char *restrict path, char *restrict resolved)
{
	char buf[VFS_PATH_MAX];
	int err = resolve(path, buf);

	if (err) {
		errno = err;
		return NULL;
	}
	if (!resolved)
		return strdup(buf); /* errno ENOMEM from malloc when it fails */
	if (strlen(buf) >= PATH_MAX) {
		errno = ENAMETOOLONG;
		return NULL;
	}
	return strcpy(resolved, buf);
}
