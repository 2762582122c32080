/* Boot test: writing to the text section is refused (W^X). */
#include <stdio.h>
#include <string.h>

__attribute__((noinline)) int victim(int x)
{
	return x + 1;
}

__attribute__((noinline)) void patch_code(void)
{
	volatile unsigned char *code = (volatile unsigned char *)(void *)victim;
	code[0] = 0xc3;
}

int main(void)
{
	printf("patching code\n");
	fflush(stdout);
	patch_code();
	printf("code was writable!\n");
	return 0;
}
