/* Boot test: pause() with no timer armed and nothing else that could wake it is a deadlock panic, not a hang. */
#include <stdio.h>
#include <unistd.h>

int main(void)
{
	printf("pausing forever\n");
	fflush(stdout);
	pause();
	printf("pause returned\n");
	return 0;
}
