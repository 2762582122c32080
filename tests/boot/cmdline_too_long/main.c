/* Boot test: an over-long command line is refused by the kernel with a message. */
#include <stdio.h>

int main(void)
{
	printf("should not run\n");
	return 0;
}
