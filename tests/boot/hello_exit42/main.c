/* Boot test: stdout reaches the host and main's return value becomes skiff run's status. */
#include <stdio.h>

int main(void)
{
	printf("hello 42\n");
	return 42;
}
