/* The loader-to-kernel ABI: the UEFI stub's hand-off block, the ELF note that names the kernel's EFI entry, and the start marker the host tool looks for. */
#ifndef SKIFF_HANDOFF_H
#define SKIFF_HANDOFF_H

/*
 * Three parties read this file: the kernel (kernel/boot.S, bootinfo.c), the
 * UEFI stub (efi/) and the host tool (tools/skiffpy/efirun.py parses the
 * string defines below). Changing a value here changes all three; the layout
 * of struct efi_handoff is frozen by the magic: a new layout needs a new one.
 */

/* The ELF note (section .note.skiff, owner "skiff") whose 8-byte descriptor is
 * the 64-bit entry point the UEFI stub jumps to. */
#define SKIFF_NOTE_OWNER "skiff"
#define SKIFF_NOTE_EFI_ENTRY 0x100

/* Written to COM1 at the EFI entry: skiff run drops the firmware output before it. */
#define EFI_START_MARKER "\033]skiff-start\007"

#ifndef __ASSEMBLER__
#include <stdint.h>

#define HANDOFF_MAX_MEM 64

/* One memory-map range. */
struct boot_mem {
	uint64_t addr, size;
	uint32_t type; /* 1 = usable RAM */
};

/* Boot-info block handed over by the UEFI stub (in %rdi, below 4 GiB). */
#define EFI_HANDOFF_MAGIC 0x534b494646454649ULL /* "SKIFFEFI" */
struct efi_handoff {
	uint64_t magic;
	uint64_t rsdp;
	uint64_t cmdline;          /* physical address of a NUL-terminated string */
	uint32_t nmem;
	uint32_t reserved;
	struct boot_mem mem[HANDOFF_MAX_MEM];
};
#endif

#endif
