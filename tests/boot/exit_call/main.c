/* Boot test: exit() from a nested function flushes stdio and passes its status. */
#include <stdio.h>
#include <stdlib.h>

static void leave(int code)
{
	printf("buffered line without newline");
	exit(code);
}

int main(void)
{
	leave(7);
	return 0;
}
