/* Boot test: an unhandled SIGALRM ends the VM with 142 (128 + 14), as a shell reports it. */
#include <stdio.h>
#include <unistd.h>

int main(void)
{
	printf("waiting for the alarm\n");
	fflush(stdout);
	alarm(1);
	for (;;)
		pause();
}
