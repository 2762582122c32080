/* Device support: physical addresses of kernel memory for DMA, identity maps for MMIO and firmware tables. */
#include <skiff/irq.h>
#include "cpu.h"
#include "mmu.h"

#define ENOMEM 12
#define PAGE 4096UL
#define ADDR_MASK 0x000ffffffffff000UL

/* Walk the live page tables: the physical address behind va, or 0. */
uint64_t dma_phys(const void *va)
{
	uint64_t v = (uint64_t)va;
	uint64_t *t = (uint64_t *)(read_cr3() & ADDR_MASK); /* tables are identity-mapped */
	for (int level = 3; level >= 0; level--) {
		uint64_t e = t[(v >> (12 + 9 * level)) & 511];
		if (!(e & PTE_P))
			return 0;
		if (level == 0)
			return (e & ADDR_MASK) | (v & (PAGE - 1));
		if ((level == 1 || level == 2) && (e & PTE_PS)) {
			uint64_t span = 1UL << (12 + 9 * level);
			return ((e & ADDR_MASK) & ~(span - 1)) | (v & (span - 1));
		}
		t = (uint64_t *)(e & ADDR_MASK);
	}
	return 0;
}

size_t dma_contig(const void *va, size_t len)
{
	uint64_t v = (uint64_t)va;
	uint64_t pa = dma_phys(va);
	if (!pa && !mmu_is_mapped(v))
		return 0;
	size_t n = PAGE - (v & (PAGE - 1));
	while (n < len) {
		uint64_t next = dma_phys((const void *)(v + n));
		if (next != pa + n || !mmu_is_mapped(v + n))
			break;
		n += PAGE;
	}
	return n < len ? n : len;
}

int dev_map_mmio(uint64_t pa, uint64_t size)
{
	if (mmu_map_device(pa, size))
		return -ENOMEM;
	/* Chunks that already had 4 KiB tables (RAM nearby) were skipped above. */
	for (uint64_t p = pa & ~(PAGE - 1); p < pa + size; p += PAGE)
		if (!mmu_is_mapped(p) && mmu_map(p, p, PTE_W | PTE_PCD | PTE_PWT | mmu_nx()))
			return -ENOMEM;
	return 0;
}

int dev_map_firmware(uint64_t pa, uint64_t size)
{
	for (uint64_t p = pa & ~(PAGE - 1); p < pa + size; p += PAGE)
		if (!mmu_is_mapped(p) && mmu_map(p, p, mmu_nx()))
			return -ENOMEM;
	return 0;
}
