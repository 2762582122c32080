/* Physical page allocator: free ranges handed out lazily plus a list of freed pages. */
#ifndef SKIFF_KERNEL_PAGEALLOC_H
#define SKIFF_KERNEL_PAGEALLOC_H

#include <stddef.h>
#include <stdint.h>

#define PAGEALLOC_PAGE 4096UL
#define PAGEALLOC_MAX_RANGES 32

struct page_range {
	uint64_t start, end; /* [start, end), page-aligned */
};

/* Pages are never touched until handed out (boot cost is independent of
 * RAM size); freed pages are linked through their first 8 bytes. */
struct pagealloc {
	struct page_range ranges[PAGEALLOC_MAX_RANGES]; /* sorted, disjoint */
	int nranges;
	uint64_t freelist;   /* address of the first freed page, 0 if none */
	size_t free_pages;   /* pages available in ranges + freelist */
	size_t low_pages;    /* fewest free_pages after any allocation (low-water) */
};

void pagealloc_init(struct pagealloc *pa);
/* Add usable memory; start is rounded up and end down to whole pages.
 * Overlaps with existing ranges are merged. Address 0 is never handed out. */
void pagealloc_add(struct pagealloc *pa, uint64_t start, uint64_t end);
/* Remove [start, end) (rounded outwards to pages) from the free ranges,
 * e.g. the kernel image. Must be called before any allocation. */
void pagealloc_reserve(struct pagealloc *pa, uint64_t start, uint64_t end);
/* One page (not zeroed), or 0 when none is left. Prefers freed pages, then
 * takes from the START of the LOWEST range (low memory is identity-mapped
 * by the boot page tables, which the kernel needs before its own exist). */
uint64_t pagealloc_alloc(struct pagealloc *pa);
/* n physically contiguous pages (from the ranges only), or 0. */
uint64_t pagealloc_alloc_contig(struct pagealloc *pa, size_t n);
/* Give back one page obtained from pagealloc_alloc or _alloc_contig. */
void pagealloc_free(struct pagealloc *pa, uint64_t page);
size_t pagealloc_free_pages(const struct pagealloc *pa);
/* The fewest pages ever free right after an allocation (free_pages before any). */
size_t pagealloc_low_pages(const struct pagealloc *pa);

#endif
