/* Identity page tables the kernel runs on until it builds its own (they sit in memory marked reserved). */
#include "stub.h"

#define GIB (1ULL << 30)
#define PTE_P 0x1ULL
#define PTE_W 0x2ULL
#define PTE_PS 0x80ULL
#define PDPT_SPAN (512 * GIB) /* one PDPT: the most these tables map */

static uint64_t clamp_top(uint64_t top)
{
	top = (top + GIB - 1) & ~(GIB - 1);
	return top > PDPT_SPAN ? PDPT_SPAN : top;
}

UINTN paging_pages(uint64_t top, int gib_pages, int la57)
{
	UINTN pds = gib_pages ? 0 : clamp_top(top) / GIB;
	return (la57 ? 1 : 0) + 1 + 1 + pds;
}

uint64_t paging_build(void *tables, uint64_t top, int gib_pages, int la57)
{
	uint64_t *page = tables;
	uint64_t base = (uint64_t)(uintptr_t)tables;
	UINTN pages = paging_pages(top, gib_pages, la57);
	for (UINTN i = 0; i < pages * 512; i++)
		page[i] = 0;
	uint64_t *pml5 = la57 ? page : 0;
	uint64_t *pml4 = page + (la57 ? 512 : 0);
	uint64_t *pdpt = pml4 + 512;
	uint64_t *pd = pdpt + 512;
	if (pml5)
		pml5[0] = (uint64_t)(uintptr_t)pml4 | PTE_P | PTE_W;
	pml4[0] = (uint64_t)(uintptr_t)pdpt | PTE_P | PTE_W;
	for (uint64_t g = 0; g < clamp_top(top) / GIB; g++) {
		if (gib_pages) {
			pdpt[g] = g * GIB | PTE_P | PTE_W | PTE_PS;
			continue;
		}
		uint64_t *t = pd + g * 512;
		pdpt[g] = (uint64_t)(uintptr_t)t | PTE_P | PTE_W;
		for (uint64_t i = 0; i < 512; i++)
			t[i] = (g * GIB + (i << 21)) | PTE_P | PTE_W | PTE_PS;
	}
	return base;
}
