/* Boot test: the `wxcheck` kernel argument prints the W^X audit before main. */
#include <stdio.h>

int main(void)
{
	printf("ran\n");
	return 0;
}
