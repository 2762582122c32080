/* Boot test (--cpus 2): a program that never starts a thread links no AP bring-up; skiff run says so in one line instead of ignoring --cpus. */
#include <stdio.h>

int main(void)
{
	printf("single-threaded program ran\n");
	return 0;
}
