/* Boot test: unbounded recursion in main's own thread hits its guard page and is reported. */
#include <stdio.h>

__attribute__((noinline)) static int recurse(volatile char *prev, int depth)
{
	volatile char pad[512];
	pad[0] = (char)depth;
	if (prev)
		pad[1] = prev[0];
	return recurse(pad, depth + 1) + pad[1];
}

int main(void)
{
	printf("recursing in main\n");
	fflush(stdout);
	printf("%d\n", recurse(0, 0));
	return 0;
}
