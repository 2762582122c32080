/* Memory: the physical page allocator instance and the heap behind newlib's sbrk. */
#include <skiff/mm.h>
#include <skiff/sync.h>
#include "layout.h"
#include "mm_internal.h"
#include "mmu.h"
#include "pagealloc.h"
#include "smp_defs.h"

extern char __image_start[], __image_end[];

static struct pagealloc pages; /* irq off */
static uint64_t total_bytes;
static uint64_t heap_brk = HEAP_BASE;    /* current break */
static uint64_t heap_mapped = HEAP_BASE; /* end of mapped heap pages */
static uint64_t heap_high = HEAP_BASE;   /* highest break so far (irq off) */

/* Pages that sbrk and new thread stacks leave free: a stack that grows later
 * takes its pages in a page fault, which cannot return an error, so those
 * requests fail (ENOMEM, EAGAIN) while a growing stack can still be served.
 * Page tables and DMA pages leave it too: only mm_fault_page takes from it.
 * 1/32 of free RAM at boot, at least 8 pages (one 32 KiB stack growth), at
 * most 1 MiB. */
#define GROW_RESERVE_MIN 8
#define GROW_RESERVE_MAX 256
static size_t grow_reserve; /* pages (set once at boot) */

/* Pages for faults that strike while the allocator is mid-update (irq off). */
#define FAULT_RESERVE 4
static uint64_t fault_reserve[FAULT_RESERVE];
static int fault_reserved;
static int alloc_busy; /* inside a pagealloc call: the handler must not enter it */

void mm_init(const struct bootinfo *bi)
{
	pagealloc_init(&pages);
	for (int i = 0; i < bi->nmem; i++)
		if (bi->mem[i].type == 1) {
			pagealloc_add(&pages, bi->mem[i].addr, bi->mem[i].addr + bi->mem[i].size);
			total_bytes += bi->mem[i].size;
		}
	pagealloc_reserve(&pages, 0, PAGE_SIZE);
	pagealloc_reserve(&pages, SMP_TRAMPOLINE_PA, SMP_TRAMPOLINE_PA + PAGE_SIZE); /* AP start-up */
	pagealloc_reserve(&pages, (uint64_t)__image_start, (uint64_t)__image_end);
	for (int i = 0; i < bi->nmods; i++)
		pagealloc_reserve(&pages, bi->mods[i].addr, bi->mods[i].addr + bi->mods[i].size);
	grow_reserve = pagealloc_free_pages(&pages) / 32;
	if (grow_reserve < GROW_RESERVE_MIN)
		grow_reserve = GROW_RESERVE_MIN;
	if (grow_reserve > GROW_RESERVE_MAX)
		grow_reserve = GROW_RESERVE_MAX;
}

/* May an ordinary request take n more pages? (irq off) */
static int above_reserve(size_t n)
{
	return pagealloc_free_pages(&pages) >= grow_reserve + n;
}

uint64_t mm_total_bytes(void)
{
	return total_bytes;
}

void *mm_page_alloc_raw(void)
{
	unsigned long f = irq_save();
	alloc_busy++;
	uint64_t p = above_reserve(1) ? pagealloc_alloc(&pages) : 0;
	alloc_busy--;
	irq_restore(f);
	return (void *)p;
}

/* Plain 8-byte stores: under TCG a `rep stos` costs a dispatch per element. */
static void zero_pages(void *p, size_t npages)
{
	uint64_t *q = p, *end = q + npages * PAGE_SIZE / 8;
	for (; q < end; q += 8)
		q[0] = q[1] = q[2] = q[3] = q[4] = q[5] = q[6] = q[7] = 0;
}

void *mm_page_alloc(void)
{
	void *p = mm_page_alloc_raw();
	if (p)
		zero_pages(p, 1);
	return p;
}

void *mm_pages_alloc(size_t npages)
{
	unsigned long f = irq_save();
	alloc_busy++;
	uint64_t p = above_reserve(npages) ? pagealloc_alloc_contig(&pages, npages) : 0;
	alloc_busy--;
	irq_restore(f);
	if (p)
		zero_pages((void *)p, npages);
	return (void *)p;
}

void mm_page_free(void *page)
{
	unsigned long f = irq_save();
	alloc_busy++;
	pagealloc_free(&pages, (uint64_t)page);
	alloc_busy--;
	irq_restore(f);
}

void *mm_fault_page(void)
{
	uint64_t p = 0;

	if (!alloc_busy) {
		while (fault_reserved < FAULT_RESERVE) {
			uint64_t r = pagealloc_alloc(&pages);
			if (!r)
				break;
			fault_reserve[fault_reserved++] = r;
		}
	}
	if (fault_reserved)
		p = fault_reserve[--fault_reserved];
	if (p)
		zero_pages((void *)p, 1);
	return (void *)p;
}

size_t mm_free_bytes(void)
{
	return pagealloc_free_pages(&pages) * PAGE_SIZE;
}

/* mm_sbrk with interrupts off and the allocator marked busy. */
static void *sbrk_locked(intptr_t incr)
{
	uint64_t old = heap_brk;
	uint64_t want = heap_brk + (uint64_t)incr;
	if ((incr > 0 && (want < heap_brk || want > HEAP_LIMIT)) ||
	    (incr < 0 && want < HEAP_BASE)) {
		return (void *)-1;
	}
	while (heap_mapped < want) {
		uint64_t p = above_reserve(1) ? pagealloc_alloc(&pages) : 0;
		if (!p || mmu_map(heap_mapped, p, PTE_W | mmu_nx())) {
			if (p)
				pagealloc_free(&pages, p);
			/* pages mapped so far stay for the next try */
			return (void *)-1;
		}
		heap_mapped += PAGE_SIZE;
	}
	/* Shrinking: give whole pages above the new break back. */
	while (heap_mapped - PAGE_SIZE >= ((want + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1)) &&
	       heap_mapped > HEAP_BASE) {
		heap_mapped -= PAGE_SIZE;
		pagealloc_free(&pages, mmu_unmap(heap_mapped));
	}
	heap_brk = want;
	if (want > heap_high)
		heap_high = want;
	return (void *)old;
}

void *mm_sbrk(intptr_t incr)
{
	unsigned long f = irq_save();
	alloc_busy++;
	void *old = sbrk_locked(incr);
	alloc_busy--;
	irq_restore(f);
	return old;
}

void mm_stats(struct mm_stats *st)
{
	unsigned long f = irq_save();
	st->ram = total_bytes;
	st->free = pagealloc_free_pages(&pages) * PAGE_SIZE;
	st->free_low = pagealloc_low_pages(&pages) * PAGE_SIZE;
	st->heap = heap_brk - HEAP_BASE;
	st->heap_high = heap_high - HEAP_BASE;
	irq_restore(f);
}
