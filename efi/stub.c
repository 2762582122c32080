/* skiff's UEFI stub: load the embedded kernel ELF at its physical address, hand over, enter it. */
#include "stub.h"

EFI_SYSTEM_TABLE *stub_st;
EFI_BOOT_SERVICES *stub_bs;

extern const uint8_t skiff_kernel_start[], skiff_kernel_end[]; /* blob.S */

/* Ranges kept out of the usable map: the hand-off block (page tables, struct, command
 * line). The kernel's own pages stay RAM, as on the PVH path: the kernel checks that its
 * image lies in RAM and reserves that range itself. */
#define NRES 1

/* Everything allocated for the kernel before the final memory map. */
struct handover {
	struct efi_handoff *h;
	uint64_t cr3;
	struct phys_range res[NRES];
	void *map;
	UINTN map_cap, desc_size;
	struct boot_mem *work;
	int work_cap;
};

static EFI_STATUS refuse(const char *what, const char *why, EFI_STATUS st)
{
	con_puts("skiff: UEFI stub: ");
	con_puts(what);
	if (why)
		con_puts(why);
	if (st != EFI_SUCCESS)
		con_status(st);
	con_puts("\n");
	return EFI_LOAD_ERROR;
}

static int guid_eq(const EFI_GUID *a, const EFI_GUID *b)
{
	const uint8_t *x = (const void *)a, *y = (const void *)b;
	for (int i = 0; i < 16; i++)
		if (x[i] != y[i])
			return 0;
	return 1;
}

/* The ACPI RSDP from the configuration table: ACPI 2.0 if present, else 1.0, else 0. */
static uint64_t find_rsdp(void)
{
	static EFI_GUID acpi20 = ACPI_20_TABLE_GUID, acpi10 = ACPI_TABLE_GUID;
	const EFI_GUID *want[] = { &acpi20, &acpi10 };
	for (int w = 0; w < 2; w++)
		for (UINTN i = 0; i < stub_st->NumberOfTableEntries; i++)
			if (guid_eq(&stub_st->ConfigurationTable[i].VendorGuid, want[w]))
				return (uint64_t)(uintptr_t)stub_st->ConfigurationTable[i].VendorTable;
	return 0;
}

/* Size the memory map (with room for the entries our own allocations add) and find
 * the highest address it mentions, which the identity tables must cover. */
static EFI_STATUS probe_map(struct handover *ho, uint64_t *top)
{
	UINTN size = 0, key;
	UINT32 ver;
	EFI_STATUS st = stub_bs->GetMemoryMap(&size, 0, &key, &ho->desc_size, &ver);
	if (st != EFI_BUFFER_TOO_SMALL)
		return st;
	ho->map_cap = size + 16 * ho->desc_size;
	st = stub_bs->AllocatePool(EfiLoaderData, ho->map_cap, &ho->map);
	if (EFI_ERROR(st))
		return st;
	ho->work_cap = (int)(ho->map_cap / ho->desc_size) + 2 * NRES + 8;
	st = stub_bs->AllocatePool(EfiLoaderData, ho->work_cap * sizeof(struct boot_mem),
				   (void **)&ho->work);
	if (EFI_ERROR(st))
		return st;
	size = ho->map_cap;
	st = stub_bs->GetMemoryMap(&size, ho->map, &key, &ho->desc_size, &ver);
	if (EFI_ERROR(st))
		return st;
	*top = 1ULL << 32;
	for (UINTN off = 0; off + ho->desc_size <= size; off += ho->desc_size) {
		const EFI_MEMORY_DESCRIPTOR *d = (const void *)((uint8_t *)ho->map + off);
		uint64_t end = d->PhysicalStart + d->NumberOfPages * STUB_PAGE;
		if (end > *top)
			*top = end;
	}
	return EFI_SUCCESS;
}

/* One block below 4 GiB, reserved in the map: page tables, then the hand-off, then the
 * command line. */
static EFI_STATUS alloc_handoff(struct handover *ho, uint64_t top, const char *cmd,
				UINTN cmdlen)
{
	int gib = cpu_has_gib_pages(), la57 = cpu_la57();
	UINTN pt_bytes = paging_pages(top, gib, la57) * STUB_PAGE;
	UINTN bytes = pt_bytes + sizeof(struct efi_handoff) + cmdlen + 1;
	UINTN pages = (bytes + STUB_PAGE - 1) / STUB_PAGE;
	EFI_PHYSICAL_ADDRESS at = 0xFFFFFFFFULL;
	EFI_STATUS st = stub_bs->AllocatePages(AllocateMaxAddress, EfiLoaderData, pages, &at);
	if (EFI_ERROR(st))
		return st;
	ho->res[0] = (struct phys_range){ at, at + pages * STUB_PAGE };
	ho->cr3 = paging_build((void *)(uintptr_t)at, top, gib, la57);
	ho->h = (struct efi_handoff *)(uintptr_t)(at + pt_bytes);
	char *dst = (char *)(ho->h + 1);
	for (UINTN i = 0; i < cmdlen; i++)
		dst[i] = cmd[i];
	dst[cmdlen] = 0;
	ho->h->magic = EFI_HANDOFF_MAGIC;
	ho->h->rsdp = find_rsdp();
	ho->h->cmdline = (uint64_t)(uintptr_t)dst;
	ho->h->nmem = 0;
	ho->h->reserved = 0;
	return EFI_SUCCESS;
}

/* Final memory map -> hand-off -> ExitBootServices; a second try if the map changed. */
static EFI_STATUS exit_boot_services(EFI_HANDLE image, struct handover *ho)
{
	EFI_STATUS st = EFI_SUCCESS;
	for (int attempt = 0; attempt < 2; attempt++) {
		UINTN size = ho->map_cap, key;
		UINT32 ver;
		st = stub_bs->GetMemoryMap(&size, ho->map, &key, &ho->desc_size, &ver);
		if (EFI_ERROR(st))
			return st;
		ho->h->nmem = (uint32_t)memmap_convert(ho->map, size, ho->desc_size, ho->res, NRES,
						       ho->work, ho->work_cap, ho->h->mem,
						       HANDOFF_MAX_MEM);
		st = stub_bs->ExitBootServices(image, key);
		if (!EFI_ERROR(st))
			return EFI_SUCCESS;
	}
	return st;
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
	stub_st = systab;
	stub_bs = systab->BootServices;
	uint64_t blob_size = (uint64_t)(skiff_kernel_end - skiff_kernel_start);
	con_puts("skiff: UEFI stub loading kernel (");
	con_dec((blob_size + 1023) / 1024);
	con_puts(" KiB)\n");

	struct kernel_image ki;
	const char *why = elf_check(skiff_kernel_start, blob_size, &ki);
	if (why)
		return refuse("bad kernel image: ", why, EFI_SUCCESS);

	struct handover ho = { 0 };
	EFI_PHYSICAL_ADDRESS at = ki.lo;
	EFI_STATUS st = stub_bs->AllocatePages(AllocateAddress, EfiLoaderCode,
					       (ki.hi - ki.lo) / STUB_PAGE, &at);
	if (EFI_ERROR(st)) {
		con_puts("skiff: UEFI stub: cannot place the kernel at ");
		con_hex(ki.lo);
		con_puts("-");
		con_hex(ki.hi);
		con_puts(": that memory is in use");
		con_status(st);
		con_puts("\n");
		return EFI_LOAD_ERROR;
	}
	elf_load(&ki);

	char *cmd;
	UINTN cmdlen;
	st = args_read(image, &cmd, &cmdlen);
	if (EFI_ERROR(st))
		return refuse("cannot read the command line", 0, st);

	uint64_t top = 0;
	st = probe_map(&ho, &top);
	if (!EFI_ERROR(st))
		st = alloc_handoff(&ho, top, cmd ? cmd : "", cmdlen);
	if (EFI_ERROR(st))
		return refuse("out of memory for the hand-off", 0, st);

	st = exit_boot_services(image, &ho);
	if (EFI_ERROR(st))
		return refuse("ExitBootServices failed", 0, st);
	enter_kernel(ho.cr3, ki.entry, ho.h);
}
