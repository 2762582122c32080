/* Boot test: main's return value 42 becomes skiff run's exit status. */
#include <stdio.h>

int main(void)
{
	printf("exiting with 42\n");
	return 42;
}
