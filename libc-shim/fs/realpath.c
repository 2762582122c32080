/* realpath: the absolute path with ".", ".." and "//" resolved, each component checked to exist (no symbolic links exist to follow). */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vfs.h"

/* Resolve path into out[VFS_PATH_MAX]; 0 or an errno. */
static int resolve(const char *path, char *out)
{
	struct stat st;
	size_t len;

	if (!path)
		return EINVAL;
	if (!*path)
		return ENOENT;
	if (path[0] == '/') {
		len = 0;
	} else {
		if (!getcwd(out, VFS_PATH_MAX))
			return errno;
		len = strlen(out);
		if (len == 1)
			len = 0; /* "/" is the empty prefix */
	}
	out[len] = '\0';
	for (const char *p = path; *p;) {
		while (*p == '/')
			p++;
		size_t n = strcspn(p, "/");
		if (n == 0)
			break;
		if (n == 1 && p[0] == '.') {
			/* the directory itself: already checked */
		} else if (n == 2 && p[0] == '.' && p[1] == '.') {
			while (len > 0 && out[len - 1] != '/')
				len--;
			if (len > 0)
				len--;
			out[len] = '\0';
		} else {
			if (len + 1 + n >= VFS_PATH_MAX)
				return ENAMETOOLONG;
			out[len++] = '/';
			memcpy(out + len, p, n);
			len += n;
			out[len] = '\0';
			if (stat(out, &st))
				return errno;
			if (p[n] == '/' && !S_ISDIR(st.st_mode))
				return ENOTDIR;
		}
		p += n;
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
