/* Page tables: identity-mapped RAM with W^X for the image, guard pages, run-time 4 KiB maps. */
#include <skiff/mm.h>
#include "mmu.h"
#include "smp.h"
#include "cpu.h"
#include "layout.h"
#include "mm_internal.h"

extern char __image_start[], __text_end[], __rodata_start[], __rodata_end[];
extern char __data_start[], __image_end[], __ksyms_start[], __ksyms_end[];
extern char boot_stack_guard[];
extern uint32_t boot_nx;
extern const uint64_t trap_stack_guards[2];

#define PAGE 4096UL
#define HUGE (2UL << 20)
#define ADDR_MASK 0x000ffffffffff000UL

static uint64_t *pml4;
static uint64_t nx;

uint64_t mmu_nx(void)
{
	return nx;
}

static uint64_t *table_alloc(void)
{
	return mm_page_alloc(); /* zeroed, identity-mapped */
}

/* Entry for va at the given level (3 = PML4 ... 1 = PD), creating tables. */
static uint64_t *walk(uint64_t va, int stop_level, int create)
{
	uint64_t *t = pml4;
	for (int level = 3; level >= stop_level; level--) {
		uint64_t *e = &t[(va >> (12 + 9 * level)) & 511];
		if (!(*e & PTE_P)) {
			if (!create)
				return 0;
			uint64_t *n = table_alloc();
			if (!n)
				return 0;
			*e = (uint64_t)n | PTE_P | PTE_W;
		} else if (*e & PTE_PS) {
			return 0; /* covered by a large page */
		}
		t = (uint64_t *)(*e & ADDR_MASK);
	}
	return &t[(va >> (12 + 9 * (stop_level - 1))) & 511];
}

int mmu_is_image_guard(uint64_t va)
{
	va &= ~(PAGE - 1);
	return va == (uint64_t)boot_stack_guard || va == trap_stack_guards[0] ||
	       va == trap_stack_guards[1];
}

/* Rights for [start, end) inside the image's chunks (already 4 KiB-mapped); 0 = not present. */
static void set_range(uint64_t start, uint64_t end, uint64_t flags)
{
	for (uint64_t pa = start & ~(PAGE - 1); pa < end; pa += PAGE) {
		uint64_t *pte = walk(pa, 1, 0);
		if (pte)
			*pte = flags ? pa | flags : 0;
	}
}

static int ram_overlaps(const struct bootinfo *bi, uint64_t start, uint64_t end)
{
	for (int i = 0; i < bi->nmem; i++)
		if (bi->mem[i].type == 1 && bi->mem[i].addr < end &&
		    bi->mem[i].addr + bi->mem[i].size > start)
			return 1;
	return 0;
}

static int map_huge(uint64_t pa, uint64_t flags)
{
	uint64_t *pde = walk(pa, 2, 1);
	if (!pde)
		return -1;
	*pde = pa | PTE_PS | flags;
	return 0;
}

int mmu_init(const struct bootinfo *bi)
{
	nx = boot_nx ? PTE_NX : 0;
	pml4 = table_alloc();
	if (!pml4)
		return -1;
	uint64_t image_chunks_end = ((uint64_t)__image_end + HUGE - 1) & ~(HUGE - 1);
	uint64_t ram_top = 0;
	for (int i = 0; i < bi->nmem; i++)
		if (bi->mem[i].type == 1 && bi->mem[i].addr + bi->mem[i].size > ram_top)
			ram_top = bi->mem[i].addr + bi->mem[i].size;
	/* The image's chunks page by page, so each section gets its own rights:
	 * one walk per 2 MiB chunk, every page read/write/no-execute first, then
	 * the image's ranges and the holes (page 0, guard pages) on top. */
	for (uint64_t chunk = 0; chunk < image_chunks_end; chunk += HUGE) {
		uint64_t *pt = walk(chunk, 1, 1);
		if (!pt)
			return -1;
		for (uint64_t i = 0, pa = chunk; i < 512; i++, pa += PAGE)
			pt[i] = pa | PTE_P | PTE_W | nx;
	}
	set_range((uint64_t)__image_start, (uint64_t)__text_end, PTE_P);        /* text: RX */
	set_range((uint64_t)__rodata_start, (uint64_t)__data_start, PTE_P | nx); /* rodata: R */
	set_range((uint64_t)__ksyms_start, (uint64_t)__ksyms_end, PTE_P | nx);   /* symbols: R */
	set_range(0, PAGE, 0);                                                  /* NULL page */
	set_range((uint64_t)boot_stack_guard, (uint64_t)boot_stack_guard + PAGE, 0);
	set_range(trap_stack_guards[0], trap_stack_guards[0] + PAGE, 0);
	set_range(trap_stack_guards[1], trap_stack_guards[1] + PAGE, 0);
	/* The rest of RAM: 2 MiB pages, read/write, never executable. */
	for (uint64_t pa = image_chunks_end; pa < ram_top; pa += HUGE)
		if (ram_overlaps(bi, pa, pa + HUGE) && map_huge(pa, PTE_P | PTE_W | nx))
			return -1;
	write_cr3((uint64_t)pml4);
	return 0;
}

int mmu_map(uint64_t va, uint64_t pa, uint64_t flags)
{
	uint64_t *pte = walk(va, 1, 1);
	if (!pte)
		return -1;
	uint64_t old = *pte;
	*pte = (pa & ADDR_MASK) | PTE_P | flags;
	invlpg(va);
	if (old & PTE_P)
		smp_tlb_flush_others(); /* other CPUs may cache the old mapping */
	return 0;
}

int mmu_prepare(uint64_t lo, uint64_t hi)
{
	for (uint64_t va = lo & ~(HUGE - 1); va < hi; va += HUGE)
		if (!walk(va, 1, 1))
			return -1;
	return 0;
}

uint64_t mmu_unmap(uint64_t va)
{
	uint64_t *pte = walk(va, 1, 0);
	if (!pte || !(*pte & PTE_P))
		return 0;
	uint64_t pa = *pte & ADDR_MASK;
	*pte = 0;
	invlpg(va);
	smp_tlb_flush_others();
	return pa;
}

int mmu_map_device(uint64_t pa, uint64_t size)
{
	for (uint64_t c = pa & ~(HUGE - 1); c < pa + size; c += HUGE) {
		uint64_t *pde = walk(c, 2, 1);
		if (!pde)
			return -1;
		if (*pde & PTE_P)
			continue; /* RAM or already mapped */
		*pde = c | PTE_PS | PTE_P | PTE_W | PTE_PCD | PTE_PWT | nx;
		invlpg(c);
	}
	return 0;
}

int mmu_is_mapped(uint64_t va)
{
	uint64_t *t = pml4;
	for (int level = 3; level >= 0; level--) {
		uint64_t e = t[(va >> (12 + 9 * level)) & 511];
		if (!(e & PTE_P))
			return 0;
		if (level == 0 || (level <= 2 && (e & PTE_PS)))
			return 1;
		t = (uint64_t *)(e & ADDR_MASK);
	}
	return 1;
}
