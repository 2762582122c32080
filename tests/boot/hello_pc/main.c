/* Boot test: the same image boots on the classic pc machine (SeaBIOS, PVH via -kernel). */
#include <stdio.h>

int main(void)
{
	printf("hello from pc\n");
	return 3;
}
