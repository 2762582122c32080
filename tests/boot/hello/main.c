/* Boot test: the smallest program prints and exits 0. */
#include <stdio.h>

int main(void)
{
	printf("Hello from skiff\n");
	return 0;
}
