/* Boot test: a double free stops the VM with a one-line reason instead of corrupting the heap. */
#include <stdio.h>
#include <stdlib.h>

int main(void)
{
	printf("start\n"); /* stdout's buffer is allocated before the blocks below */
	char *volatile p = malloc(100);
	char *volatile q = malloc(100); /* keeps p from merging with the free top */

	free(p);
	printf("first free done\n");
	fflush(stdout);
	free(p);
	printf("double free survived\n");
	free(q);
	return 0;
}
