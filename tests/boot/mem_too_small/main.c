/* Boot test: --mem below what the image needs is refused up front with "out of memory". */
#include <stdio.h>

int main(void)
{
	printf("should not run\n");
	return 0;
}
