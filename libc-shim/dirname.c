/* dirname() (POSIX <libgen.h>): the parent part of a path, in place. */
#include <libgen.h>
#include <string.h>

char *dirname(char *path)
{
	static char dot[] = ".", slash[] = "/";
	size_t n;

	if (!path || !*path)
		return dot;
	n = strlen(path);
	while (n > 1 && path[n - 1] == '/')
		n--; /* trailing slashes */
	while (n > 0 && path[n - 1] != '/')
		n--; /* the last component */
	if (n == 0)
		return dot;
	while (n > 1 && path[n - 1] == '/')
		n--; /* slashes between parent and last component */
	if (n == 1 && path[0] == '/')
		return slash;
	path[n] = '\0';
	return path;
}
