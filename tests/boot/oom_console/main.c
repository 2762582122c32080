/* Boot test: a program that uses up the heap in small blocks before its first output can still write to stdout and stderr. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(void)
{
	size_t n = 0;

	while (malloc(40)) /* no byte left for a lazily allocated fd table */
		n++;
	if (write(2, "oom_console: stderr\n", 20) != 20)
		return 2;
	fprintf(stderr, "oom_console: %s\n", n > 10000 ? "heap exhausted" : "too few blocks");
	printf("oom_console ok\n");
	return fflush(stdout) == 0 ? 0 : 3;
}
