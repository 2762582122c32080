/* nftw and ftw: walk a directory tree depth-first, calling fn for each file (FTW_DEPTH, FTW_PHYS, FTW_MOUNT honoured, links as FTW_SL/FTW_SLN; FTW_CHDIR is refused). */
#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "shim.h"
#include "vfs.h"

struct walk {
	int (*fn)(const char *, const struct stat *, int, struct FTW *);
	int (*ftw_fn)(const char *, const struct stat *, int); /* ftw's, when fn is NULL */
	int flags;
	dev_t dev; /* of the root, for FTW_MOUNT */
	char path[VFS_PATH_MAX];
};

static int call(struct walk *w, const struct stat *st, int type, struct FTW *ftw)
{
	if (w->fn)
		return w->fn(w->path, st, type, ftw);
	return w->ftw_fn(w->path, st, type == FTW_DP ? FTW_D : type);
}

/* Visit w->path (length len, base at name offset), at depth level. */
static int visit(struct walk *w, size_t len, int base, int level)
{
	struct stat st;
	struct FTW ftw = { base, level };
	int type;

	int phys = (w->flags & FTW_PHYS) && w->fn; /* ftw always follows links */
	if (phys ? lstat(w->path, &st) : stat(w->path, &st)) {
		if (errno != ENOENT && errno != ENOTDIR)
			return -1;
		if (w->fn && lstat(w->path, &st) == 0)
			return call(w, &st, FTW_SLN, &ftw); /* a link to nothing */
		return call(w, &st, FTW_NS, &ftw);
	}
	if ((w->flags & FTW_MOUNT) && st.st_dev != w->dev)
		return 0;
	if (S_ISLNK(st.st_mode))
		return call(w, &st, FTW_SL, &ftw);
	if (!S_ISDIR(st.st_mode))
		return call(w, &st, FTW_F, &ftw);

	DIR *d = opendir(w->path);
	if (!d)
		return call(w, &st, FTW_DNR, &ftw);
	type = (w->flags & FTW_DEPTH) ? FTW_DP : FTW_D;
	int r = 0;
	if (type == FTW_D && (r = call(w, &st, FTW_D, &ftw))) {
		closedir(d);
		return r;
	}
	struct dirent *de;
	while (!r && (de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		size_t n = strlen(de->d_name);
		size_t sep = (len > 0 && w->path[len - 1] == '/') ? 0 : 1;
		if (len + sep + n >= VFS_PATH_MAX) {
			errno = ENAMETOOLONG;
			r = -1;
			break;
		}
		if (sep)
			w->path[len] = '/';
		memcpy(w->path + len + sep, de->d_name, n + 1);
		r = visit(w, len + sep + n, (int)(len + sep), level + 1);
		w->path[len] = '\0';
	}
	int saved = errno;
	closedir(d);
	errno = saved;
	if (!r && type == FTW_DP)
		r = call(w, &st, FTW_DP, &ftw);
	return r;
}

/* Walk path with fn (nftw) or ftw_fn (ftw). */
static int walk_tree(const char *path, struct walk *w)
{
	struct stat st;

	if (!path || !*path) {
		errno = ENOENT;
		return -1;
	}
	size_t len = strlen(path);
	if (len >= VFS_PATH_MAX) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(w->path, path, len + 1);
	if (stat(path, &st))
		return -1; /* no root to walk: its errno */
	w->dev = st.st_dev;
	/* the root's name: its last component, trailing slashes kept with it */
	size_t end = len;
	while (end > 1 && path[end - 1] == '/')
		end--;
	int base = (int)end;
	while (base > 0 && path[base - 1] != '/')
		base--;
	return visit(w, len, base, 0);
}

int nftw(const char *path, int (*fn)(const char *, const struct stat *, int, struct FTW *),
	 int fd_limit, int flags)
{
	struct walk w = { fn, NULL, flags, 0, "" };

	(void)fd_limit; /* one directory stream open per level, freed on the way up */
	if (flags & FTW_CHDIR)
		return shim_unsupported("nftw(FTW_CHDIR)", EINVAL, "EINVAL");
	return walk_tree(path, &w);
}

int ftw(const char *path, int (*fn)(const char *, const struct stat *, int), int fd_limit)
{
	struct walk w = { NULL, fn, 0, 0, "" };

	(void)fd_limit;
	return walk_tree(path, &w);
}
