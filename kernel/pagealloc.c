/* Physical page allocator: sorted free ranges consumed from the bottom, plus a list of freed pages. */
#include "pagealloc.h"

#include <stdbool.h>
#include <stdint.h>

#define PAGE_MASK (PAGEALLOC_PAGE - 1)

/* A freed page holds the address of the next freed page in its first 8 bytes. */
static uint64_t *free_link(uint64_t page)
{
	return (uint64_t *)(uintptr_t)page;
}

static uint64_t pages_in(const struct page_range *r)
{
	return (r->end - r->start) / PAGEALLOC_PAGE;
}

static void remove_range(struct pagealloc *pa, int i)
{
	for (int j = i; j < pa->nranges - 1; j++)
		pa->ranges[j] = pa->ranges[j + 1];
	pa->nranges--;
}

/* Insert [start, end) keeping the array sorted; false when the table is full. */
static bool insert_range(struct pagealloc *pa, uint64_t start, uint64_t end)
{
	int i = pa->nranges;

	if (pa->nranges == PAGEALLOC_MAX_RANGES)
		return false;
	while (i > 0 && pa->ranges[i - 1].start > start) {
		pa->ranges[i] = pa->ranges[i - 1];
		i--;
	}
	pa->ranges[i].start = start;
	pa->ranges[i].end = end;
	pa->nranges++;
	return true;
}

/* Remove [start, end) from the inside of range i, leaving two pieces. */
static void split_range(struct pagealloc *pa, int i, uint64_t start, uint64_t end)
{
	struct page_range low = { pa->ranges[i].start, start };
	struct page_range high = { end, pa->ranges[i].end };

	pa->free_pages -= (end - start) / PAGEALLOC_PAGE;
	pa->ranges[i] = low;
	if (insert_range(pa, high.start, high.end))
		return;
	/* Table full: keep the larger piece. */
	if (pages_in(&low) < pages_in(&high)) {
		pa->free_pages -= pages_in(&low);
		pa->ranges[i] = high;
	} else {
		pa->free_pages -= pages_in(&high);
	}
}

void pagealloc_init(struct pagealloc *pa)
{
	pa->nranges = 0;
	pa->freelist = 0;
	pa->free_pages = 0;
	pa->low_pages = SIZE_MAX;
}

static void note_low(struct pagealloc *pa)
{
	if (pa->free_pages < pa->low_pages)
		pa->low_pages = pa->free_pages;
}

/* Ranges that overlap or touch the new one are folded into it. When the
 * table is full and nothing merges, the memory is left unused (safe). */
void pagealloc_add(struct pagealloc *pa, uint64_t start, uint64_t end)
{
	if (start > UINT64_MAX - PAGE_MASK)
		return;
	start = (start + PAGE_MASK) & ~PAGE_MASK;
	end &= ~PAGE_MASK;
	if (start < PAGEALLOC_PAGE)
		start = PAGEALLOC_PAGE; /* page 0 would read as "no page" */
	if (start >= end)
		return;

	for (int i = 0; i < pa->nranges;) {
		struct page_range *r = &pa->ranges[i];
		if (r->start <= end && start <= r->end) {
			start = r->start < start ? r->start : start;
			end = r->end > end ? r->end : end;
			pa->free_pages -= pages_in(r);
			remove_range(pa, i);
		} else {
			i++;
		}
	}
	if (insert_range(pa, start, end))
		pa->free_pages += (end - start) / PAGEALLOC_PAGE;
}

/* Cutting a hole in the middle of a range needs a free slot; without one
 * the smaller piece is given up, so reserved pages are never handed out. */
void pagealloc_reserve(struct pagealloc *pa, uint64_t start, uint64_t end)
{
	start &= ~PAGE_MASK;
	end = end > UINT64_MAX - PAGE_MASK ? ~PAGE_MASK : (end + PAGE_MASK) & ~PAGE_MASK;
	if (start >= end)
		return;

	for (int i = 0; i < pa->nranges;) {
		struct page_range *r = &pa->ranges[i];

		if (r->end <= start || end <= r->start) {
			i++;
		} else if (start <= r->start && r->end <= end) {
			pa->free_pages -= pages_in(r);
			remove_range(pa, i);
		} else if (start <= r->start) {
			pa->free_pages -= (end - r->start) / PAGEALLOC_PAGE;
			r->start = end;
			i++;
		} else if (r->end <= end) {
			pa->free_pages -= (r->end - start) / PAGEALLOC_PAGE;
			r->end = start;
			i++;
		} else {
			split_range(pa, i, start, end);
			return;
		}
	}
}

uint64_t pagealloc_alloc(struct pagealloc *pa)
{
	uint64_t page = pa->freelist;

	if (page != 0) {
		pa->freelist = *free_link(page);
		pa->free_pages--;
		note_low(pa);
		return page;
	}
	return pagealloc_alloc_contig(pa, 1);
}

uint64_t pagealloc_alloc_contig(struct pagealloc *pa, size_t n)
{
	if (n == 0)
		return 0;
	/* Lowest first: the boot page tables identity-map only low memory, and
	 * the kernel allocates its own page tables before they exist. */
	for (int i = 0; i < pa->nranges; i++) {
		struct page_range *r = &pa->ranges[i];
		if (pages_in(r) >= n) {
			uint64_t first = r->start;
			r->start += n * PAGEALLOC_PAGE;
			if (r->start == r->end)
				remove_range(pa, i);
			pa->free_pages -= n;
			note_low(pa);
			return first;
		}
	}
	return 0;
}

void pagealloc_free(struct pagealloc *pa, uint64_t page)
{
	if (page == 0 || (page & PAGE_MASK) != 0)
		return;
	*free_link(page) = pa->freelist;
	pa->freelist = page;
	pa->free_pages++;
}

size_t pagealloc_free_pages(const struct pagealloc *pa)
{
	return pa->free_pages;
}

size_t pagealloc_low_pages(const struct pagealloc *pa)
{
	return pa->low_pages < pa->free_pages ? pa->low_pages : pa->free_pages;
}
