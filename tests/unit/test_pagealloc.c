/* Host unit tests for the physical page allocator (kernel/pagealloc.c). */
// needs: kernel/pagealloc.c
#include <stdint.h>
#include <stdlib.h>

#include "check.h"
#include "pagealloc.h"

#define P PAGEALLOC_PAGE

static struct pagealloc pa;

/* Real, page-aligned host memory: freed pages are written to. */
static uint64_t host_pages(size_t n)
{
	void *p = aligned_alloc(P, n * P);
	if (p == NULL)
		abort();
	return (uint64_t)(uintptr_t)p;
}

static void release(uint64_t base)
{
	free((void *)(uintptr_t)base);
}

TEST(test_empty)
{
	pagealloc_init(&pa);
	CHECK_INT(pagealloc_free_pages(&pa), 0);
	CHECK_HEX(pagealloc_alloc(&pa), 0);
	CHECK_HEX(pagealloc_alloc_contig(&pa, 1), 0);
}

TEST(test_add_rounds_to_pages)
{
	pagealloc_init(&pa);
	pagealloc_add(&pa, 0x10001, 0x14fff); /* whole pages: 0x11000..0x14000 */
	CHECK_INT(pa.nranges, 1);
	CHECK_HEX(pa.ranges[0].start, 0x11000);
	CHECK_HEX(pa.ranges[0].end, 0x14000);
	CHECK_INT(pagealloc_free_pages(&pa), 3);
	pagealloc_add(&pa, 0x20001, 0x20fff); /* no whole page */
	pagealloc_add(&pa, 0x30000, 0x30000);
	pagealloc_add(&pa, 0x50000, 0x40000);
	CHECK_INT(pa.nranges, 1);
	CHECK_INT(pagealloc_free_pages(&pa), 3);
}

TEST(test_add_sorts_and_merges)
{
	pagealloc_init(&pa);
	pagealloc_add(&pa, 0x100000, 0x200000);
	pagealloc_add(&pa, 0x10000, 0x20000);
	pagealloc_add(&pa, 0x400000, 0x500000);
	CHECK_INT(pa.nranges, 3);
	CHECK_HEX(pa.ranges[0].start, 0x10000);
	CHECK_HEX(pa.ranges[1].start, 0x100000);
	CHECK_HEX(pa.ranges[2].start, 0x400000);
	CHECK_INT(pagealloc_free_pages(&pa), 16 + 256 + 256);

	pagealloc_add(&pa, 0x180000, 0x280000); /* overlaps the middle one */
	CHECK_INT(pa.nranges, 3);
	CHECK_HEX(pa.ranges[1].start, 0x100000);
	CHECK_HEX(pa.ranges[1].end, 0x280000);
	CHECK_INT(pagealloc_free_pages(&pa), 16 + 384 + 256);

	pagealloc_add(&pa, 0x20000, 0x30000); /* touches the first one */
	CHECK_INT(pa.nranges, 3);
	CHECK_HEX(pa.ranges[0].end, 0x30000);

	pagealloc_add(&pa, 0x8000, 0x600000); /* swallows everything */
	CHECK_INT(pa.nranges, 1);
	CHECK_HEX(pa.ranges[0].start, 0x8000);
	CHECK_HEX(pa.ranges[0].end, 0x600000);
	CHECK_INT(pagealloc_free_pages(&pa), (0x600000 - 0x8000) / P);
}

TEST(test_add_full_table)
{
	pagealloc_init(&pa);
	for (int i = 0; i < PAGEALLOC_MAX_RANGES + 4; i++)
		pagealloc_add(&pa, (uint64_t)(i + 1) * 0x100000, (uint64_t)(i + 1) * 0x100000 + P);
	CHECK_INT(pa.nranges, PAGEALLOC_MAX_RANGES);
	CHECK_INT(pagealloc_free_pages(&pa), PAGEALLOC_MAX_RANGES);
	/* A range that merges still goes in. */
	pagealloc_add(&pa, 0x100000 + P, 0x100000 + 3 * P);
	CHECK_INT(pagealloc_free_pages(&pa), PAGEALLOC_MAX_RANGES + 2);
}

TEST(test_never_page_zero)
{
	pagealloc_init(&pa);
	pagealloc_add(&pa, 0, 4 * P);
	CHECK_INT(pagealloc_free_pages(&pa), 3);
	CHECK_HEX(pagealloc_alloc(&pa), 1 * P);
	CHECK_HEX(pagealloc_alloc(&pa), 2 * P);
	CHECK_HEX(pagealloc_alloc(&pa), 3 * P);
	CHECK_HEX(pagealloc_alloc(&pa), 0); /* exhausted, not page 0 */
	CHECK_INT(pagealloc_free_pages(&pa), 0);
	CHECK_HEX(pagealloc_alloc_contig(&pa, 1), 0);
}

TEST(test_alloc_order_lowest_first)
{
	pagealloc_init(&pa);
	pagealloc_add(&pa, 0x100000, 0x102000);
	pagealloc_add(&pa, 0x10000, 0x12000);
	CHECK_HEX(pagealloc_alloc(&pa), 0x10000);
	CHECK_HEX(pagealloc_alloc(&pa), 0x11000);
	CHECK_INT(pa.nranges, 1); /* an emptied range goes away */
	CHECK_HEX(pagealloc_alloc(&pa), 0x100000);
	CHECK_HEX(pagealloc_alloc(&pa), 0x101000);
	CHECK_HEX(pagealloc_alloc(&pa), 0);
	CHECK_HEX(pagealloc_alloc(&pa), 0);
	CHECK_INT(pa.nranges, 0);
	CHECK_INT(pagealloc_free_pages(&pa), 0);
}

TEST(test_free_list_reuse)
{
	uint64_t base = host_pages(8);
	pagealloc_init(&pa);
	pagealloc_add(&pa, base, base + 8 * P);
	uint64_t a = pagealloc_alloc(&pa), b = pagealloc_alloc(&pa), c = pagealloc_alloc(&pa);
	CHECK_HEX(a, base);
	CHECK_HEX(b, base + 1 * P);
	CHECK_HEX(c, base + 2 * P);
	CHECK_INT(pagealloc_free_pages(&pa), 5);
	pagealloc_free(&pa, a);
	pagealloc_free(&pa, c);
	CHECK_INT(pagealloc_free_pages(&pa), 7);
	CHECK_HEX(pagealloc_alloc(&pa), c); /* last freed, first reused */
	CHECK_HEX(pagealloc_alloc(&pa), a);
	CHECK_HEX(pagealloc_alloc(&pa), base + 3 * P); /* then the range again */
	CHECK_INT(pagealloc_free_pages(&pa), 4);
	pagealloc_free(&pa, 0);              /* ignored */
	pagealloc_free(&pa, base + 3 * P + 8); /* misaligned: ignored */
	CHECK_INT(pagealloc_free_pages(&pa), 4);
	release(base);
}

TEST(test_exhaustion_and_refill)
{
	uint64_t base = host_pages(16);
	uint64_t got[16];
	pagealloc_init(&pa);
	pagealloc_add(&pa, base, base + 16 * P);
	for (int i = 0; i < 16; i++) {
		got[i] = pagealloc_alloc(&pa);
		CHECK(got[i] >= base && got[i] < base + 16 * P);
		CHECK_INT(got[i] % P, 0);
		for (int j = 0; j < i; j++)
			CHECK(got[i] != got[j]);
	}
	CHECK_HEX(pagealloc_alloc(&pa), 0);
	CHECK_INT(pagealloc_free_pages(&pa), 0);
	for (int i = 0; i < 16; i++)
		pagealloc_free(&pa, got[i]);
	CHECK_INT(pagealloc_free_pages(&pa), 16);
	for (int i = 15; i >= 0; i--)
		CHECK_HEX(pagealloc_alloc(&pa), got[i]);
	CHECK_HEX(pagealloc_alloc(&pa), 0);
	release(base);
}

TEST(test_contig)
{
	uint64_t base = host_pages(16);
	pagealloc_init(&pa);
	pagealloc_add(&pa, base, base + 4 * P);          /* 4 pages */
	pagealloc_add(&pa, base + 6 * P, base + 9 * P);  /* 3 pages, higher */
	CHECK_HEX(pagealloc_alloc_contig(&pa, 0), 0);
	CHECK_HEX(pagealloc_alloc_contig(&pa, 5), 0);    /* no range big enough */
	CHECK_INT(pagealloc_free_pages(&pa), 7);
	CHECK_HEX(pagealloc_alloc_contig(&pa, 4), base); /* the low one, whole */
	CHECK_INT(pa.nranges, 1);
	CHECK_HEX(pagealloc_alloc_contig(&pa, 2), base + 6 * P); /* start of the higher */
	CHECK_INT(pagealloc_free_pages(&pa), 1);
	/* Freed pages go to the free list, which contig allocation ignores. */
	pagealloc_free(&pa, base + 6 * P);
	pagealloc_free(&pa, base + 7 * P);
	CHECK_INT(pagealloc_free_pages(&pa), 3);
	CHECK_HEX(pagealloc_alloc_contig(&pa, 2), 0);
	CHECK_HEX(pagealloc_alloc_contig(&pa, 1), base + 8 * P);
	CHECK_HEX(pagealloc_alloc(&pa), base + 7 * P);
	CHECK_HEX(pagealloc_alloc(&pa), base + 6 * P);
	CHECK_HEX(pagealloc_alloc(&pa), 0);
	CHECK_INT(pagealloc_free_pages(&pa), 0);
	release(base);
}

TEST(test_reserve_rounds_outwards)
{
	pagealloc_init(&pa);
	pagealloc_add(&pa, 0x100000, 0x200000);
	pagealloc_reserve(&pa, 0x100001, 0x100002); /* one byte: one page */
	CHECK_INT(pa.nranges, 1);
	CHECK_HEX(pa.ranges[0].start, 0x101000);
	CHECK_INT(pagealloc_free_pages(&pa), 255);
	pagealloc_reserve(&pa, 0x1fdfff, 0x1fe001); /* straddles: two pages */
	CHECK_HEX(pa.ranges[0].end, 0x1fd000);
	CHECK_INT(pa.nranges, 2);
	CHECK_HEX(pa.ranges[1].start, 0x200000 - P);
	CHECK_INT(pagealloc_free_pages(&pa), 253);
	pagealloc_reserve(&pa, 0x5000, 0x5000); /* empty: nothing */
	CHECK_INT(pagealloc_free_pages(&pa), 253);
}

TEST(test_reserve_cases)
{
	pagealloc_init(&pa);
	pagealloc_add(&pa, 0x10000, 0x20000);
	pagealloc_add(&pa, 0x30000, 0x40000);
	pagealloc_add(&pa, 0x50000, 0x60000);
	pagealloc_reserve(&pa, 0x1c000, 0x34000); /* tail of one, head of next */
	CHECK_INT(pa.nranges, 3);
	CHECK_HEX(pa.ranges[0].end, 0x1c000);
	CHECK_HEX(pa.ranges[1].start, 0x34000);
	pagealloc_reserve(&pa, 0x50000, 0x60000); /* a whole range */
	CHECK_INT(pa.nranges, 2);
	pagealloc_reserve(&pa, 0x36000, 0x38000); /* a hole in the middle */
	CHECK_INT(pa.nranges, 3);
	CHECK_HEX(pa.ranges[1].start, 0x34000);
	CHECK_HEX(pa.ranges[1].end, 0x36000);
	CHECK_HEX(pa.ranges[2].start, 0x38000);
	CHECK_HEX(pa.ranges[2].end, 0x40000);
	CHECK_INT(pagealloc_free_pages(&pa), 12 + 2 + 8);
	pagealloc_reserve(&pa, 0, 0x100000); /* everything */
	CHECK_INT(pa.nranges, 0);
	CHECK_INT(pagealloc_free_pages(&pa), 0);
	CHECK_HEX(pagealloc_alloc(&pa), 0);
}

/* The kernel image in the middle of RAM: none of its pages ever come out. */
TEST(test_reserved_pages_never_returned)
{
	const uint64_t lo = 0x100000, hi = 0x140000, kstart = 0x110800, kend = 0x123456;
	size_t n = 0;
	uint64_t page;
	pagealloc_init(&pa);
	pagealloc_add(&pa, lo, hi);
	pagealloc_reserve(&pa, kstart, kend);
	size_t expect = (hi - lo) / P - (0x124000 - 0x110000) / P;
	CHECK_INT(pagealloc_free_pages(&pa), expect);
	while ((page = pagealloc_alloc(&pa)) != 0) {
		CHECK(page >= lo && page < hi);
		CHECK(page + P <= (kstart & ~(P - 1)) || page >= 0x124000);
		n++;
	}
	CHECK_INT(n, expect);
	CHECK_INT(pagealloc_free_pages(&pa), 0);
}

TEST(test_reserve_split_with_full_table)
{
	pagealloc_init(&pa);
	for (int i = 0; i < PAGEALLOC_MAX_RANGES; i++)
		pagealloc_add(&pa, (uint64_t)(i + 1) * 0x100000, (uint64_t)(i + 1) * 0x100000 + 8 * P);
	size_t before = pagealloc_free_pages(&pa);
	/* A hole at pages 1..2 of the first range: keep the larger upper piece. */
	pagealloc_reserve(&pa, 0x100000 + P, 0x100000 + 3 * P);
	CHECK_INT(pa.nranges, PAGEALLOC_MAX_RANGES);
	CHECK_HEX(pa.ranges[0].start, 0x100000 + 3 * P);
	CHECK_HEX(pa.ranges[0].end, 0x100000 + 8 * P);
	CHECK_INT(pagealloc_free_pages(&pa), before - 3);
	/* Nothing reserved, nor the dropped page, ever comes out. */
	uint64_t page;
	size_t n = 0;
	while ((page = pagealloc_alloc(&pa)) != 0) {
		CHECK(page >= 0x100000 + 3 * P || page >= 0x200000);
		n++;
	}
	CHECK_INT(n, before - 3);
}

TEST(test_free_pages_accounting)
{
	uint64_t base = host_pages(32);
	pagealloc_init(&pa);
	pagealloc_add(&pa, base, base + 32 * P);
	pagealloc_reserve(&pa, base + 10 * P, base + 12 * P);
	CHECK_INT(pagealloc_free_pages(&pa), 30);
	uint64_t c = pagealloc_alloc_contig(&pa, 5);
	CHECK_INT(pagealloc_free_pages(&pa), 25);
	uint64_t a = pagealloc_alloc(&pa);
	CHECK_INT(pagealloc_free_pages(&pa), 24);
	for (int i = 0; i < 5; i++)
		pagealloc_free(&pa, c + (uint64_t)i * P);
	pagealloc_free(&pa, a);
	CHECK_INT(pagealloc_free_pages(&pa), 30);
	size_t n = 0;
	while (pagealloc_alloc(&pa) != 0)
		n++;
	CHECK_INT(n, 30);
	CHECK_INT(pagealloc_free_pages(&pa), 0);
	release(base);
}

TEST(test_low_water_mark)
{
	uint64_t base = host_pages(8);
	pagealloc_init(&pa);
	pagealloc_add(&pa, base, base + 8 * P);
	CHECK_INT(pagealloc_low_pages(&pa), 8); /* nothing handed out yet */
	uint64_t a = pagealloc_alloc(&pa), b = pagealloc_alloc_contig(&pa, 3);
	CHECK_INT(pagealloc_low_pages(&pa), 4);
	pagealloc_free(&pa, a);
	pagealloc_free(&pa, b);
	CHECK_INT(pagealloc_free_pages(&pa), 6);
	CHECK_INT(pagealloc_low_pages(&pa), 4); /* freeing does not raise the mark */
	uint64_t c = pagealloc_alloc(&pa);
	CHECK_INT(pagealloc_low_pages(&pa), 4);
	(void)pagealloc_alloc_contig(&pa, 2);
	CHECK_INT(pagealloc_low_pages(&pa), 3);
	(void)c;
	release(base);
}

int main(void)
{
	RUN(test_empty);
	RUN(test_add_rounds_to_pages);
	RUN(test_add_sorts_and_merges);
	RUN(test_add_full_table);
	RUN(test_never_page_zero);
	RUN(test_alloc_order_lowest_first);
	RUN(test_free_list_reuse);
	RUN(test_exhaustion_and_refill);
	RUN(test_contig);
	RUN(test_reserve_rounds_outwards);
	RUN(test_reserve_cases);
	RUN(test_reserved_pages_never_returned);
	RUN(test_reserve_split_with_full_table);
	RUN(test_free_pages_accounting);
	RUN(test_low_water_mark);
	return CHECK_EXIT_STATUS();
}
