/* Boot test: main's return value 200 becomes skiff run's exit status. */
#include <stdio.h>

int main(void)
{
	printf("exiting with 200\n");
	return 200;
}
