/* Boot test: overflowing a local buffer is caught by the stack canary when the function returns. */
#include <stdio.h>
#include <string.h>

__attribute__((noinline)) static void copy_name(const char *src, size_t n)
{
	char name[16];
	memcpy(name, src, n); /* n comes from the caller: 64 bytes into 16 */
	printf("copied %.4s\n", name);
	fflush(stdout);
}

int main(int argc, char **argv)
{
	char input[64];
	memset(input, 'A', sizeof(input));
	copy_name(input, argc > 1 ? strlen(argv[1]) : sizeof(input));
	printf("returned normally\n");
	return 0;
}
