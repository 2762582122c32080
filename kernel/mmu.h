/* Page tables: the final kernel mapping with W^X, plus 4 KiB mappings made at run time. */
#ifndef SKIFF_KERNEL_MMU_H
#define SKIFF_KERNEL_MMU_H

#include <stdint.h>
#include "bootinfo.h"

#define PTE_P   0x001UL
#define PTE_W   0x002UL
#define PTE_PWT 0x008UL
#define PTE_PCD 0x010UL
#define PTE_PS  0x080UL
#define PTE_G   0x100UL
#define PTE_NX  (1UL << 63)

/* Build and load the final page tables. Returns 0, or -1 when out of memory. */
int mmu_init(const struct bootinfo *bi);
/* Map one 4 KiB page va -> pa with flags (PTE_W, PTE_NX, ...). 0 or -1 (no memory). */
int mmu_map(uint64_t va, uint64_t pa, uint64_t flags);
/* Create the page tables for [lo, hi) now, so later mmu_map calls there never
 * allocate (the page-fault handler maps stack pages). 0 or -1 (no memory). */
int mmu_prepare(uint64_t lo, uint64_t hi);
/* Unmap one 4 KiB page; returns the physical address it mapped, or 0. */
uint64_t mmu_unmap(uint64_t va);
/* Map [pa, pa + size) uncached for a device (identity). 0 or -1. */
int mmu_map_device(uint64_t pa, uint64_t size);
/* Is va mapped (any permission)? */
int mmu_is_mapped(uint64_t va);
/* Is va one of the kernel image's guard pages (below the boot or trap stacks)? */
int mmu_is_image_guard(uint64_t va);
/* Effective NX bit (0 when the CPU has none). */
uint64_t mmu_nx(void);

#endif
