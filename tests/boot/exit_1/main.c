/* Boot test: main's return value 1 becomes skiff run's exit status. */
#include <stdio.h>

int main(void)
{
	printf("exiting with 1\n");
	return 1;
}
