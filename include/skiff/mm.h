/* Memory: physical pages and the heap that backs newlib's malloc. */
#ifndef SKIFF_MM_H
#define SKIFF_MM_H

#include <stddef.h>
#include <stdint.h>

#define PAGE_SIZE 4096UL

/* Grow (or shrink, incr < 0) the heap. Returns the old break, or (void *)-1
 * when memory runs out (the caller sets errno = ENOMEM). Never panics. */
void *mm_sbrk(intptr_t incr);

/* One zeroed, identity-mapped physical page, or NULL when memory runs out. */
void *mm_page_alloc(void);
void mm_page_free(void *page);

/* Contiguous physically-addressed zeroed pages (for DMA rings), or NULL. */
void *mm_pages_alloc(size_t npages);

/* Bytes of usable RAM the loader reported. */
uint64_t mm_total_bytes(void);

/* Bytes of RAM still free (pages never handed out plus freed ones). */
size_t mm_free_bytes(void);

#endif
