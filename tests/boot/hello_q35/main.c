/* Boot test: the same image boots on q35 (SeaBIOS, PVH via -kernel). */
#include <stdio.h>

int main(void)
{
	printf("hello from q35\n");
	return 4;
}
