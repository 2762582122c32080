/* Boot test: code copied onto the stack cannot run (NX). */
#include <stdio.h>
#include <string.h>

int main(void)
{
	unsigned char code[16];
	memset(code, 0xc3, sizeof(code)); /* ret */
	printf("jumping to the stack\n");
	fflush(stdout);
	((void (*)(void))(void *)code)();
	printf("stack code ran\n");
	return 0;
}
