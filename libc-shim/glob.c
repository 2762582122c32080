/* glob(): wildcards in the last path component (the directory part is taken literally), sorted unless GLOB_NOSORT. */
#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <glob.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int has_magic(const char *s)
{
	return strpbrk(s, "*?[") != NULL;
}

static int add(glob_t *g, const char *dir, const char *name)
{
	size_t n = (dir ? strlen(dir) + 1 : 0) + strlen(name) + 1;
	char *path = malloc(n);
	char **v = realloc(g->gl_pathv, (size_t)(g->gl_offs + g->gl_pathc + 2) * sizeof(char *));

	if (v)
		g->gl_pathv = v;
	if (!path || !v) {
		free(path);
		return GLOB_NOSPACE;
	}
	strcpy(path, dir ? dir : "");
	if (dir && (!*dir || dir[strlen(dir) - 1] != '/'))
		strcat(path, "/");
	strcat(path, name);
	v[g->gl_offs + g->gl_pathc++] = path;
	v[g->gl_offs + g->gl_pathc] = NULL;
	g->gl_matchc++;
	return 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int glob(const char *pattern, int flags, int (*errfunc)(const char *, int), glob_t *g)
{
	const char *slash = strrchr(pattern, '/');
	const char *base = slash ? slash + 1 : pattern;
	char *dir = NULL;
	int err = 0;
	struct stat st;

	if (!(flags & GLOB_APPEND)) {
		g->gl_pathc = 0;
		g->gl_pathv = NULL;
		if (!(flags & GLOB_DOOFFS))
			g->gl_offs = 0;
	}
	g->gl_flags = flags;
	g->gl_matchc = 0;
	if (!g->gl_pathv) {
		g->gl_pathv = calloc((size_t)g->gl_offs + 1, sizeof(char *));
		if (!g->gl_pathv)
			return GLOB_NOSPACE;
	}
	int first = g->gl_pathc;
	if (!has_magic(base)) {
		if (stat(pattern, &st) == 0)
			err = add(g, NULL, pattern);
	} else {
		if (slash) {
			dir = strndup(pattern, (size_t)(slash - pattern) + (slash == pattern));
			if (!dir)
				return GLOB_NOSPACE;
		}
		DIR *d = opendir(dir ? dir : ".");
		if (!d) {
			if ((errfunc && errfunc(dir ? dir : ".", errno)) || (flags & GLOB_ERR))
				err = GLOB_ABEND;
		} else {
			struct dirent *de;
			while (!err && (de = readdir(d)))
				if (fnmatch(base, de->d_name, FNM_PERIOD) == 0)
					err = add(g, dir, de->d_name);
			closedir(d);
		}
		free(dir);
	}
	if (err)
		return err;
	if (g->gl_pathc == first) {
		if (!(flags & GLOB_NOCHECK))
			return GLOB_NOMATCH;
		if ((err = add(g, NULL, pattern)))
			return err;
	}
	if (!(flags & GLOB_NOSORT))
		qsort(g->gl_pathv + g->gl_offs + first, (size_t)(g->gl_pathc - first),
		      sizeof(char *), by_name);
	return 0;
}

void globfree(glob_t *g)
{
	if (!g->gl_pathv)
		return;
	for (int i = 0; i < g->gl_pathc; i++)
		free(g->gl_pathv[g->gl_offs + i]);
	free(g->gl_pathv);
	g->gl_pathv = NULL;
	g->gl_pathc = 0;
}
