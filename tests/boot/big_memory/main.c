/* Boot test: a 2 GiB VM hands out memory above the first GiB (page tables, heap) correctly. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(void)
{
	size_t len = (size_t)1280 << 20; /* 1.25 GiB: must reach physical pages past 1 GiB */
	unsigned char *p = malloc(len);
	if (!p) {
		printf("malloc of 1.25 GiB failed\n");
		return 1;
	}
	for (size_t off = 0; off < len; off += 1 << 20)
		p[off] = (unsigned char)(off >> 20);
	for (size_t off = 0; off < len; off += 1 << 20)
		if (p[off] != (unsigned char)(off >> 20)) {
			printf("mismatch at %zu MiB\n", off >> 20);
			return 1;
		}
	free(p);
	printf("big memory ok\n");
	return 0;
}
