/* Boot test: a stack that grows past the free RAM stops the VM with one clear line, not a hang. */
#include <stdio.h>

__attribute__((noinline)) static int recurse(volatile char *prev, int depth)
{
	volatile char pad[4000];
	pad[0] = (char)depth;
	if (prev)
		pad[1] = prev[0];
	return recurse(pad, depth + 1) + pad[1];
}

int main(void)
{
	printf("growing main's stack past the RAM\n");
	fflush(stdout);
	return recurse(0, 0);
}
