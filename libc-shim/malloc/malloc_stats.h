/* malloc's figures for /dev/memstats and mallinfo: bytes from sbrk, in use, free. */
#ifndef SKIFF_SHIM_MALLOC_STATS_H
#define SKIFF_SHIM_MALLOC_STATS_H

#include <stddef.h>

struct malloc_figures {
	size_t arena;		/* bytes taken from sbrk, less those given back */
	size_t in_use;		/* bytes in allocated blocks, their headers included */
	size_t free;		/* bytes in free blocks */
	size_t free_blocks;
	size_t top;		/* the free block at the top (what malloc_trim can give back) */
};

void malloc_figures(struct malloc_figures *f);

#endif
