/* Boot test: an unknown kernel argument is warned about, and the app still runs. */
#include <stdio.h>

int main(void)
{
	printf("ran\n");
	return 0;
}
