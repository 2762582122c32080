/* Boot test: `skiff build --multiboot` images enter through Multiboot v1 (QEMU prefers it). */
#include <stdio.h>

int main(int argc, char **argv)
{
	printf("multiboot hello, %d arg(s), last [%s]\n", argc - 1, argv[argc - 1]);
	return 0;
}
