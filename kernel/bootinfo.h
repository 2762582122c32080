/* What the loader told us (PVH start_info, Multiboot info or the EFI stub), copied out early. */
#ifndef SKIFF_KERNEL_BOOTINFO_H
#define SKIFF_KERNEL_BOOTINFO_H

#include <stdint.h>
#include <stddef.h>
#include <skiff/handoff.h>
#include "cmdline.h"

#define BOOTINFO_MAX_MEM HANDOFF_MAX_MEM
#define BOOTINFO_MAX_MODS 4

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

/* Read the loader's structures into the kernel's one struct bootinfo; 0, or -1 if
 * the protocol is unrecognised. Once, early in kmain. */
int bootinfo_read(int proto, uint32_t info_paddr, uint32_t mb_magic);
/* What bootinfo_read found (kmain's boot steps, bootstat's report). */
const struct bootinfo *boot_info(void);

#endif
