/* getline/getdelim: POSIX names for newlib's __getline/__getdelim (same contract: grow *line, -1 at EOF). */
#include <stdio.h>

ssize_t getdelim(char **restrict line, size_t *restrict cap, int delim, FILE *restrict fp)
{
	return __getdelim(line, cap, delim, fp);
}

ssize_t getline(char **restrict line, size_t *restrict cap, FILE *restrict fp)
{
	return __getdelim(line, cap, '\n', fp);
}
