/* A two-level segregated-fit heap: O(1) malloc and free, immediate coalescing, memory from a grow callback. */
#ifndef SKIFF_SHIM_TLSF_H
#define SKIFF_SHIM_TLSF_H

#include <stddef.h>
#include <stdint.h>

/* Blocks sit in first-level classes by power of two and, within one, in TLSF_SL_COUNT
 * second-level classes of equal width; blocks below TLSF_SMALL are in first level 0,
 * TLSF_ALIGN bytes apart. Block sizes stay below 2^(TLSF_FL_COUNT + TLSF_FL_SHIFT - 1). */
#define TLSF_ALIGN 16
#define TLSF_SL_LOG2 4
#define TLSF_SL_COUNT (1 << TLSF_SL_LOG2)
#define TLSF_FL_SHIFT (TLSF_SL_LOG2 + 4)
#define TLSF_SMALL (1u << TLSF_FL_SHIFT)
#define TLSF_FL_COUNT 32

struct tlsf_block;

/* grow: n more bytes of memory (NULL when there are none); contiguous with the last
 * ones when it returns the end of the previous grow. shrink: give back the n bytes that
 * end at end, 0 when done (-1 when they are no longer the last ones handed out). */
typedef void *(*tlsf_grow_fn)(size_t n, void *ctx);
typedef int (*tlsf_shrink_fn)(char *end, size_t n, void *ctx);

struct tlsf {
	uint32_t fl_map;
	uint16_t sl_map[TLSF_FL_COUNT];
	struct tlsf_block *heads[TLSF_FL_COUNT][TLSF_SL_COUNT];
	char *first;		/* the first region's first block (for tlsf_check) */
	char *end;		/* end of the newest region (its sentinel is the last 16 bytes) */
	char *raw_end;		/* end of what grow gave for it (end, or up to 15 bytes more) */
	size_t arena;		/* bytes taken from grow, less those given back */
	size_t in_use;		/* bytes in used blocks, headers included */
	size_t free_bytes;	/* bytes in free blocks */
	size_t free_blocks;
	size_t trim_threshold;	/* a free top block this big is given back (0: never) */
	size_t page;		/* grow and shrink in multiples of this (a power of two) */
	tlsf_grow_fn grow;
	tlsf_shrink_fn shrink;
	void *ctx;
};

#define TLSF_TRIM_DEFAULT (128u << 10)

void tlsf_init(struct tlsf *h, tlsf_grow_fn grow, tlsf_shrink_fn shrink, void *ctx, size_t page);

/* NULL when no memory (or n too big); p == NULL is not accepted by free/realloc/usable. */
void *tlsf_malloc(struct tlsf *h, size_t n);
/* align: a power of two. */
void *tlsf_memalign(struct tlsf *h, size_t align, size_t n);
/* NULL (p untouched) when no memory; n > 0. */
void *tlsf_realloc(struct tlsf *h, void *p, size_t n);
/* 0, or -1 when p is not a block in use (a double or wild free): nothing changed. */
int tlsf_free(struct tlsf *h, void *p);
size_t tlsf_usable(const void *p);
/* Give the free top of the heap back, keeping pad bytes; 1 if anything went back. */
int tlsf_trim(struct tlsf *h, size_t pad);
/* The free block at the heap's top (0 if none): what tlsf_trim could give back. */
size_t tlsf_top_free(const struct tlsf *h);

/* Walk the first region and the free lists; NULL when every invariant holds, else what broke. */
const char *tlsf_check(const struct tlsf *h);

#endif
