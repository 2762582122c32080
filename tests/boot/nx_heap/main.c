/* Boot test: code copied into malloc'd memory cannot run (NX). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(void)
{
	unsigned char *code = malloc(64);
	memset(code, 0xc3, 64); /* ret */
	printf("jumping to the heap\n");
	fflush(stdout);
	((void (*)(void))(void *)code)();
	printf("heap code ran\n");
	return 0;
}
