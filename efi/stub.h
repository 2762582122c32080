/* UEFI stub internals: one section per file, each a step of loading the skiff kernel. */
#ifndef SKIFF_EFI_STUB_H
#define SKIFF_EFI_STUB_H

#include <efi.h>
#include <stdint.h>
#include <skiff/handoff.h> /* struct efi_handoff, struct boot_mem, the skiff note */

#define STUB_PAGE 4096ULL
#define STUB_KERNEL_MIN 0x100000ULL    /* PT_LOADs start at or above 1 MiB */
#define STUB_KERNEL_MAX 0x100000000ULL /* and end below 4 GiB */
#define STUB_CMDLINE_FILE_MAX (1 << 20) /* a larger cmdline file is refused */

/* stub.c: the firmware tables, set once by efi_main. */
extern EFI_SYSTEM_TABLE *stub_st;
extern EFI_BOOT_SERVICES *stub_bs;

/* con.c: text to ConOut (ASCII in, "\n" becomes "\r\n"). Before ExitBootServices only. */
void con_puts(const char *s);
void con_hex(uint64_t v);
void con_dec(uint64_t v);
void con_status(EFI_STATUS st); /* " (EFI status 0x...)" */

/* elf.c: the embedded kernel ELF. elf_check never writes memory and returns NULL if the
 * image is loadable, else a one-line reason; elf_load copies it to its physical
 * addresses, which the caller has allocated ([lo, hi)), and zeroes the rest of that span. */
struct kernel_image {
	const uint8_t *elf;
	uint64_t size;
	uint64_t lo, hi;  /* page-aligned span covering every PT_LOAD's [p_paddr, +p_memsz) */
	uint64_t entry;   /* efi_start64, from the skiff note */
};
const char *elf_check(const void *elf, uint64_t size, struct kernel_image *ki);
void elf_load(const struct kernel_image *ki);

/* memmap.c: the UEFI memory map as struct boot_mem entries (type 1 = usable once boot
 * services are gone), minus the reserved ranges; sorted, merged, at most `max` entries
 * (the largest usable ones win). work must hold map entries + 2 * nres entries.
 * Returns the number of entries written to out. */
struct phys_range {
	uint64_t start, end;
};
int memmap_convert(const void *map, UINTN map_size, UINTN desc_size,
		   const struct phys_range *res, int nres,
		   struct boot_mem *work, int work_cap, struct boot_mem *out, int max);
uint32_t memmap_type(UINT32 efi_type);

/* args.c: the kernel command line. From `cmdline` beside the .efi (or at the volume's
 * root) if there is one, else from the LoadOptions. *out is pool memory (or NULL when
 * there is no command line); *len excludes the NUL. */
EFI_STATUS args_read(EFI_HANDLE image, char **out, UINTN *len);
/* UCS-2 LoadOptions to ASCII; 0 if they are not printable text (firmware binary data).
 * A first word ending in ".efi" (the shell's argv[0]) is dropped. */
UINTN args_from_ucs2(const CHAR16 *in, UINTN in_bytes, char *out, UINTN out_cap);

/* paging.c: identity page tables for [0, top) in `tables` (page-aligned, zeroed,
 * paging_pages() pages); returns the value for CR3. */
UINTN paging_pages(uint64_t top, int gib_pages, int la57);
uint64_t paging_build(void *tables, uint64_t top, int gib_pages, int la57);

/* enter.c: CPU facts and the jump into the kernel. */
int cpu_has_gib_pages(void);
int cpu_la57(void);
__attribute__((noreturn)) void enter_kernel(uint64_t cr3, uint64_t entry, struct efi_handoff *h);

#endif
