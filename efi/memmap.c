/* The UEFI memory map turned into the kernel's struct boot_mem list (what is RAM after ExitBootServices). */
#include "stub.h"

#define MEM_USABLE 1
#define MEM_RESERVED 2
#define MEM_ACPI 3
#define MEM_NVS 4
#define MEM_UNUSABLE 5

/* Usable once boot services are gone: free memory, the firmware's boot-time code and
 * data, and the loader's own (the stub's image). Runtime services memory stays away. */
uint32_t memmap_type(UINT32 efi_type)
{
	switch (efi_type) {
	case EfiConventionalMemory:
	case EfiBootServicesCode:
	case EfiBootServicesData:
	case EfiLoaderCode:
	case EfiLoaderData:
		return MEM_USABLE;
	case EfiACPIReclaimMemory:
		return MEM_ACPI;
	case EfiACPIMemoryNVS:
		return MEM_NVS;
	case EfiUnusableMemory:
		return MEM_UNUSABLE;
	default:
		return MEM_RESERVED;
	}
}

static void sort_by_addr(struct boot_mem *m, int n)
{
	for (int i = 1; i < n; i++) {
		struct boot_mem e = m[i];
		int j = i;
		for (; j > 0 && m[j - 1].addr > e.addr; j--)
			m[j] = m[j - 1];
		m[j] = e;
	}
}

/* Take [start, end) out of every usable entry (splitting one in two where needed) and
 * add it as a reserved entry. Entries emptied this way get size 0. */
static int carve(struct boot_mem *m, int n, int cap, uint64_t start, uint64_t end)
{
	int orig = n;
	for (int i = 0; i < orig; i++) {
		uint64_t a = m[i].addr, b = m[i].addr + m[i].size;
		if (m[i].type != MEM_USABLE || b <= start || a >= end)
			continue;
		if (a < start) {
			m[i].size = start - a;
			if (b > end && n < cap)
				m[n++] = (struct boot_mem){ end, b - end, MEM_USABLE };
		} else if (b > end) {
			m[i].addr = end;
			m[i].size = b - end;
		} else {
			m[i].size = 0;
		}
	}
	if (n < cap)
		m[n++] = (struct boot_mem){ start, end - start, MEM_RESERVED };
	return n;
}

/* Drop empty entries and join neighbours of the same type. */
static int merge(struct boot_mem *m, int n)
{
	int out = 0;
	for (int i = 0; i < n; i++) {
		if (m[i].size == 0)
			continue;
		if (out > 0 && m[out - 1].type == m[i].type &&
		    m[out - 1].addr + m[out - 1].size == m[i].addr)
			m[out - 1].size += m[i].size;
		else
			m[out++] = m[i];
	}
	return out;
}

/* Remove the least useful entry: the smallest non-usable one, else the smallest. */
static int drop_one(struct boot_mem *m, int n)
{
	int victim = -1;
	for (int i = 0; i < n; i++) {
		if (victim < 0) {
			victim = i;
			continue;
		}
		int vu = m[victim].type == MEM_USABLE, iu = m[i].type == MEM_USABLE;
		if ((vu && !iu) || (vu == iu && m[i].size < m[victim].size))
			victim = i;
	}
	for (int i = victim; i + 1 < n; i++)
		m[i] = m[i + 1];
	return n - 1;
}

int memmap_convert(const void *map, UINTN map_size, UINTN desc_size,
		   const struct phys_range *res, int nres,
		   struct boot_mem *work, int work_cap, struct boot_mem *out, int max)
{
	int n = 0;
	if (desc_size < sizeof(EFI_MEMORY_DESCRIPTOR))
		return 0;
	for (UINTN off = 0; off + desc_size <= map_size && n < work_cap; off += desc_size) {
		const EFI_MEMORY_DESCRIPTOR *d = (const void *)((const uint8_t *)map + off);
		if (d->NumberOfPages == 0)
			continue;
		work[n++] = (struct boot_mem){ d->PhysicalStart, d->NumberOfPages * STUB_PAGE,
					       memmap_type(d->Type) };
	}
	for (int i = 0; i < nres; i++)
		if (res[i].end > res[i].start)
			n = carve(work, n, work_cap, res[i].start, res[i].end);
	sort_by_addr(work, n);
	n = merge(work, n);
	while (n > max)
		n = drop_one(work, n);
	for (int i = 0; i < n; i++)
		out[i] = work[i];
	return n;
}
