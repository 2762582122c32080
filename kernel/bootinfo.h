/* What the loader told us (PVH start_info, Multiboot info or the EFI stub), copied out early. */
#ifndef SKIFF_KERNEL_BOOTINFO_H
#define SKIFF_KERNEL_BOOTINFO_H

#include <stdint.h>
#include <stddef.h>
#include "cmdline.h"

#define BOOTINFO_MAX_MEM 64
#define BOOTINFO_MAX_MODS 4

struct boot_mem {
	uint64_t addr, size;
	uint32_t type; /* 1 = usable RAM */
};

struct boot_module {
	uint64_t addr, size;
};

struct bootinfo {
	int proto;                 /* BOOT_PROTO_* */
	struct boot_mem mem[BOOTINFO_MAX_MEM];
	int nmem;
	struct boot_module mods[BOOTINFO_MAX_MODS];
	int nmods;
	uint64_t rsdp;             /* ACPI RSDP physical address, 0 if unknown */
	char cmdline[CMDLINE_MAX]; /* NUL-terminated, truncated */
	size_t cmdline_len;        /* real length, may exceed CMDLINE_MAX - 1 */
};

/* Boot-info block handed over by the UEFI stub (BOOT_PROTO_EFI). */
#define EFI_HANDOFF_MAGIC 0x534b494646454649ULL /* "SKIFFEFI" */
struct efi_handoff {
	uint64_t magic;
	uint64_t rsdp;
	uint64_t cmdline;          /* physical address of a NUL-terminated string */
	uint32_t nmem;
	uint32_t reserved;
	struct boot_mem mem[BOOTINFO_MAX_MEM];
};

/* What kmain read at boot (for reports after boot). */
const struct bootinfo *boot_info(void);

/* Fill bi from the loader's structures; returns 0 or -1 if unrecognised. */
int bootinfo_read(struct bootinfo *bi, int proto, uint32_t info_paddr, uint32_t mb_magic);

#endif
