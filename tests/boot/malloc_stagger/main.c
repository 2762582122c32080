/* malloc_stagger: large blocks allocated one after another do not start at the same page offset modulo 1 MiB (no TLB/cache aliasing of arrays). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MIB (1024 * 1024)
#define PAGES_PER_MIB 256

/* the block's page index modulo 256: which set of a 256-entry direct-mapped TLB
 * (QEMU's softmmu TLB at its starting size) or of a 1 MiB-stride cache it falls in */
static unsigned colour(const void *p)
{
	return (unsigned)(((uintptr_t)p / 4096) % PAGES_PER_MIB);
}

int main(void)
{
	enum { N = 3 };
	size_t sizes[] = { 4 * MIB, 16 * MIB / 2, 256 * 1024 };
	for (unsigned s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		char *block[N];
		for (int i = 0; i < N; i++) {
			block[i] = malloc(sizes[s]);
			if (!block[i]) {
				printf("malloc(%zu) failed\n", sizes[s]);
				return 1;
			}
			memset(block[i], i + 1, sizes[s]); /* usable, all of it */
		}
		for (int i = 0; i < N; i++)
			for (int j = i + 1; j < N; j++)
				if (colour(block[i]) == colour(block[j])) {
					printf("blocks of %zu at %p and %p share page colour %u\n",
					       sizes[s], (void *)block[i], (void *)block[j],
					       colour(block[i]));
					return 1;
				}
		for (int i = 0; i < N; i++)
			if (block[i][0] != i + 1 || block[i][sizes[s] - 1] != i + 1) {
				printf("block %d overwritten\n", i);
				return 1;
			}
		for (int i = 0; i < N; i++)
			free(block[i]);
	}
	/* small blocks are not padded: a 100-byte block costs what it did */
	char *a = malloc(100), *b = malloc(100);
	if (!a || !b || (size_t)(b > a ? b - a : a - b) > 4096) {
		printf("small blocks far apart: %p %p\n", (void *)a, (void *)b);
		return 1;
	}
	printf("malloc stagger ok\n");
	return 0;
}
