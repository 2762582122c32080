/* Boot test: malloc until the heap runs out (ENOMEM), free it all, malloc again. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BLOCK (256 * 1024)
#define MAX_BLOCKS 4096 /* 1 GiB: far more than the 16 MiB VM has */

static void *blocks[MAX_BLOCKS];

int main(void)
{
	int n = 0;
	int err;

	for (;;) {
		if (n == MAX_BLOCKS) {
			printf("enomem FAIL: never ran out\n");
			return 1;
		}
		errno = 0;
		void *p = malloc(BLOCK);
		if (!p) {
			err = errno;
			break;
		}
		memset(p, 0xa5, BLOCK); /* the memory is really there */
		blocks[n++] = p;
	}
	for (int i = 0; i < n; i++)
		free(blocks[i]);
	if (err != ENOMEM) {
		printf("enomem FAIL: errno %d after %d blocks\n", err, n);
		return 1;
	}
	if (n == 0) {
		printf("enomem FAIL: not even one block\n");
		return 1;
	}
	void *again = malloc(BLOCK);
	if (!again) {
		printf("enomem FAIL: no memory after freeing %d blocks\n", n);
		return 1;
	}
	free(again);
	printf("enomem ok after %d blocks\n", n);
	return 0;
}
