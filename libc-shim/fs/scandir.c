/* scandir and alphasort: a directory's entries, filtered and sorted, in one malloc'd array. */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

int alphasort(const struct dirent **a, const struct dirent **b)
{
	return strcoll((*a)->d_name, (*b)->d_name);
}

int scandir(const char *path, struct dirent ***list, int (*keep)(const struct dirent *),
	    int (*cmp)(const struct dirent **, const struct dirent **))
{
	DIR *d = opendir(path);
	struct dirent **v = NULL, *de;
	size_t n = 0, cap = 0;
	int err = 0;

	if (!d)
		return -1;
	errno = 0;
	while ((de = readdir(d))) {
		if (keep && !keep(de)) {
			errno = 0;
			continue;
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			struct dirent **nv = realloc(v, cap * sizeof(*v));
			if (!nv) {
				err = ENOMEM;
				break;
			}
			v = nv;
		}
		if (!(v[n] = malloc(sizeof(*de)))) {
			err = ENOMEM;
			break;
		}
		memcpy(v[n++], de, sizeof(*de));
		errno = 0;
	}
	if (!err)
		err = errno; /* readdir's error, if it stopped on one */
	closedir(d);
	if (err || n > 0x7fffffff) {
		while (n)
			free(v[--n]);
		free(v);
		errno = err ? err : EOVERFLOW;
		return -1;
	}
	if (cmp && n > 1)
		qsort(v, n, sizeof(*v), (int (*)(const void *, const void *))cmp);
	*list = v;
	return (int)n;
}
