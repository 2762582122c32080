/* Boot test: with the host check off, a VM too small for the image is refused by the kernel itself. */
#include <stdio.h>

char big[1200 * 1024]; /* 1.2 MiB of bss: past the end of a 2 MiB VM */

int main(int argc, char **argv)
{
	(void)argv;
	big[argc * 1000000] = 1;
	printf("should not run %d\n", big[argc * 1000000]);
	return 0;
}
