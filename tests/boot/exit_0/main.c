/* Boot test: main's return value 0 becomes skiff run's exit status. */
#include <stdio.h>

int main(void)
{
	printf("exiting with 0\n");
	return 0;
}
