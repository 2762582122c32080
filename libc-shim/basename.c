/* basename() (POSIX <libgen.h>, which names it "basename"): the last component of a path, trailing slashes removed in place. */
#include <libgen.h>
#include <string.h>

#undef basename /* libgen.h's macro; the function's link name is "basename" */

char *basename(char *path)
{
	static char dot[] = ".";
	size_t n;

	if (!path || !*path)
		return dot;
	n = strlen(path);
	while (n > 1 && path[n - 1] == '/')
		path[--n] = '\0'; /* trailing slashes; "/" stays */
	char *slash = strrchr(path, '/');
	return slash && slash[1] ? slash + 1 : path;
}
