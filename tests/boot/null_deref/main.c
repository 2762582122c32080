/* Boot test: a NULL dereference is reported with the faulting function's name. */
#include <stdio.h>

__attribute__((noinline)) void crash_here(volatile int *p)
{
	*p = 1;
}

int main(void)
{
	printf("about to fault\n");
	fflush(stdout);
	crash_here(0);
	printf("survived?!\n");
	return 0;
}
