/* Memory: physical pages and the heap that backs newlib's malloc. */
#ifndef SKIFF_MM_H
#define SKIFF_MM_H

#include <stddef.h>
#include <stdint.h>

#define PAGE_SIZE 4096UL

/* Grow (or shrink, incr < 0) the heap. Returns the old break, or (void *)-1
 * when memory runs out (the caller sets errno = ENOMEM). Never panics. */
void *mm_sbrk(intptr_t incr);

/* One zeroed, identity-mapped physical page, or NULL when memory runs out (the
 * pages kept for growing stacks are not handed out here). */
void *mm_page_alloc(void);
void mm_page_free(void *page);

/* Contiguous physically-addressed zeroed pages (for DMA rings), or NULL. */
void *mm_pages_alloc(size_t npages);

/* Bytes of usable RAM the loader reported. */
uint64_t mm_total_bytes(void);

/* Bytes of RAM still free (pages never handed out plus freed ones). */
size_t mm_free_bytes(void);

/* A snapshot of memory use, for soak tests and monitoring (all in bytes). */
struct mm_stats {
	uint64_t ram;        /* usable RAM the loader reported */
	uint64_t free;       /* RAM free now */
	uint64_t free_low;   /* the least RAM ever free (low-water mark) */
	uint64_t heap;       /* heap in use: the sbrk break above the heap base */
	uint64_t heap_high;  /* the highest break since boot (high-water mark) */
};

/* Fill *st; cheap (no allocation), callable from any thread. */
void mm_stats(struct mm_stats *st);

#endif
