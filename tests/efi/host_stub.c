/* Host unit tests for the UEFI stub's pure parts: ELF checks, memory-map conversion, LoadOptions. */
// needs: efi/elf.c efi/memmap.c efi/args.c   (built by tests/efi/test_stub_host.py)
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../unit/check.h"
#include "stub.h"

EFI_SYSTEM_TABLE *stub_st;   /* args.c names them; these tests never call the firmware */
EFI_BOOT_SERVICES *stub_bs;

static uint8_t *elf;          /* a real skiff image (argv[1]) */
static size_t elf_size;

static uint8_t *copy_elf(void)
{
	uint8_t *p = malloc(elf_size);
	memcpy(p, elf, elf_size);
	return p;
}

TEST(test_real_image_loads)
{
	struct kernel_image ki;
	CHECK_STR(elf_check(elf, elf_size, &ki), NULL);
	CHECK_HEX(ki.lo, 0x100000);
	CHECK(ki.hi > ki.lo && ki.hi % 4096 == 0);
	CHECK(ki.entry > ki.lo && ki.entry < ki.hi);
}

TEST(test_truncated_images_refused_or_whole)
{
	/* Every prefix is either refused or loadable; nothing reads past the end (ASan). */
	struct kernel_image ki;
	uint64_t phoff, need = 0;
	uint16_t phnum;
	memcpy(&phoff, elf + 32, 8);
	memcpy(&phnum, elf + 56, 2);
	for (int i = 0; i < phnum; i++) {
		uint32_t type;
		uint64_t off, filesz;
		memcpy(&type, elf + phoff + 56 * i, 4);
		memcpy(&off, elf + phoff + 56 * i + 8, 8);
		memcpy(&filesz, elf + phoff + 56 * i + 32, 8);
		if (type == 1 && filesz && off + filesz > need)
			need = off + filesz;
	}
	CHECK(need > 4096 && need <= elf_size);
	for (size_t n = 0; n < elf_size; n += (n < 4096 ? 1 : 509)) {
		uint8_t *p = malloc(n ? n : 1);
		memcpy(p, elf, n);
		const char *why = elf_check(p, n, &ki);
		free(p);
		if (n < 64)
			CHECK_STR(why, "not an ELF file");
		if (n < need)
			CHECK(why != NULL);
	}
}

TEST(test_flipped_bytes_never_crash)
{
	struct kernel_image ki;
	srand(1);
	for (int i = 0; i < 20000; i++) {
		uint8_t *p = copy_elf();
		size_t span = elf_size < 8192 ? elf_size : 8192; /* headers and notes live here */
		for (int k = 0; k < 1 + i % 4; k++)
			p[rand() % span] = (uint8_t)rand();
		elf_check(p, elf_size, &ki);
		free(p);
	}
}

TEST(test_wrong_machine_and_missing_note)
{
	struct kernel_image ki;
	uint8_t *p = copy_elf();
	p[18] = 3; /* EM_386 */
	CHECK_STR(elf_check(p, elf_size, &ki), "not a 64-bit little-endian x86-64 ELF");
	free(p);
	p = copy_elf();
	/* Rename every "skiff" note owner: the stub must refuse a non-skiff kernel. */
	for (size_t i = 0; i + 6 <= elf_size; i++)
		if (!memcmp(p + i, "skiff\0", 6) && i >= 12 && p[i - 12] == 6)
			p[i] = 'S';
	const char *why = elf_check(p, elf_size, &ki);
	CHECK(why && strstr(why, "no skiff EFI entry note"));
	free(p);
}

TEST(test_segment_below_1mib_refused)
{
	struct kernel_image ki;
	uint8_t *p = copy_elf();
	uint64_t phoff;
	memcpy(&phoff, p + 32, 8);
	uint64_t low = 0x8000; /* first PT_LOAD's p_paddr */
	memcpy(p + phoff + 24, &low, 8);
	CHECK_STR(elf_check(p, elf_size, &ki), "loadable segment below 1 MiB");
	free(p);
}

/* A synthetic UEFI map: descriptors with the firmware's stride (48 bytes, not 40). */
#define STRIDE 48
static uint8_t map[64 * STRIDE];
static int map_n;

static void desc(UINT32 type, uint64_t start, uint64_t pages)
{
	EFI_MEMORY_DESCRIPTOR d = { .Type = type, .PhysicalStart = start, .NumberOfPages = pages };
	memcpy(map + map_n++ * STRIDE, &d, sizeof(d));
}

static struct boot_mem work[256], out[HANDOFF_MAX_MEM];

TEST(test_memmap_usable_types_merge)
{
	map_n = 0;
	desc(EfiConventionalMemory, 0, 0xa0);
	desc(EfiLoaderCode, 0x100000, 0x30);        /* the kernel, carved out below */
	desc(EfiConventionalMemory, 0x130000, 0x10);
	desc(EfiBootServicesData, 0x140000, 0x40);
	desc(EfiACPIMemoryNVS, 0x800000, 8);
	desc(EfiRuntimeServicesData, 0x808000, 4);
	desc(EfiLoaderData, 0x810000, 2);           /* the hand-off block */
	desc(EfiBootServicesCode, 0x812000, 0xe);
	desc(EfiACPIReclaimMemory, 0x820000, 1);
	struct phys_range res[2] = { { 0x100000, 0x130000 }, { 0x810000, 0x812000 } };
	int n = memmap_convert(map, map_n * STRIDE, STRIDE, res, 2, work, 256, out, HANDOFF_MAX_MEM);
	CHECK_INT(n, 8);
	CHECK_HEX(out[0].addr, 0);
	CHECK_INT(out[0].type, 1);
	CHECK_HEX(out[1].addr, 0x100000);
	CHECK_INT(out[1].type, 2);
	CHECK_HEX(out[2].addr, 0x130000); /* conventional + boot services data, merged */
	CHECK_HEX(out[2].size, 0x50000);
	CHECK_INT(out[2].type, 1);
	CHECK_INT(out[3].type, 4);        /* ACPI NVS */
	CHECK_INT(out[4].type, 2);        /* runtime data */
	CHECK_HEX(out[5].addr, 0x810000); /* the hand-off block stays reserved */
	CHECK_INT(out[5].type, 2);
	CHECK_HEX(out[5].size, 0x2000);
	CHECK_HEX(out[6].addr, 0x812000);
	CHECK_INT(out[6].type, 1);
	CHECK_INT(out[7].type, 3);        /* ACPI reclaimable */
}

TEST(test_memmap_reserved_range_splits_one_entry)
{
	map_n = 0;
	desc(EfiConventionalMemory, 0x100000, 0x100);
	struct phys_range res[1] = { { 0x180000, 0x181000 } };
	int n = memmap_convert(map, map_n * STRIDE, STRIDE, res, 1, work, 256, out, HANDOFF_MAX_MEM);
	CHECK_INT(n, 3);
	CHECK_HEX(out[0].size, 0x80000);
	CHECK_HEX(out[1].addr, 0x180000);
	CHECK_INT(out[1].type, 2);
	CHECK_HEX(out[2].addr, 0x181000);
	CHECK_HEX(out[2].size, 0x7f000);
}

TEST(test_memmap_too_many_keeps_largest_usable)
{
	/* 70 usable ranges separated by reserved ones: 139 entries for 64 slots. */
	map_n = 0;
	static uint8_t big[160 * STRIDE];
	for (int i = 0; i < 70; i++) {
		EFI_MEMORY_DESCRIPTOR u = { .Type = EfiConventionalMemory,
					    .PhysicalStart = 0x1000000ULL * i,
					    .NumberOfPages = 1 + i };
		EFI_MEMORY_DESCRIPTOR r = { .Type = EfiReservedMemoryType,
					    .PhysicalStart = 0x1000000ULL * i + 0x800000,
					    .NumberOfPages = 1 };
		memcpy(big + (2 * i) * STRIDE, &u, sizeof(u));
		memcpy(big + (2 * i + 1) * STRIDE, &r, sizeof(r));
	}
	int n = memmap_convert(big, 140 * STRIDE, STRIDE, NULL, 0, work, 256, out,
			       HANDOFF_MAX_MEM);
	CHECK_INT(n, HANDOFF_MAX_MEM);
	for (int i = 0; i < n; i++)
		CHECK_INT(out[i].type, 1);
	CHECK_HEX(out[0].size, 7 * 4096ULL);       /* the 6 smallest usable ones went */
	CHECK_HEX(out[n - 1].size, 70 * 4096ULL);
	for (int i = 1; i < n; i++)
		CHECK(out[i - 1].addr < out[i].addr);
}

static UINTN opts(const char *ascii, char *buf, UINTN cap)
{
	CHAR16 in[256];
	UINTN n = strlen(ascii);
	for (UINTN i = 0; i <= n; i++)
		in[i] = (unsigned char)ascii[i];
	return args_from_ucs2(in, (n + 1) * 2, buf, cap);
}

TEST(test_load_options)
{
	char buf[256];
	CHECK_INT(opts("bootstat -- \"a b\"", buf, sizeof(buf)), 17);
	CHECK_STR(buf, "bootstat -- \"a b\"");
	opts("\\EFI\\BOOT\\BOOTX64.EFI  -- \"x\"", buf, sizeof(buf));
	CHECK_STR(buf, "-- \"x\"");
	opts("app.efi", buf, sizeof(buf));
	CHECK_STR(buf, "");
	CHECK_INT(opts("ok\x01", buf, sizeof(buf)), 0); /* binary optional data */
	CHECK_STR(buf, "");
	CHECK_INT(opts("0123456789", buf, 5), 0);        /* does not fit */
	CHAR16 bin[3] = { 0x4e5a, 0x1234, 0 };
	CHECK_INT(args_from_ucs2(bin, sizeof(bin), buf, sizeof(buf)), 0);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s SKIFF_IMAGE.elf\n", argv[0]);
		return 2;
	}
	FILE *f = fopen(argv[1], "rb");
	if (!f) {
		perror(argv[1]);
		return 2;
	}
	fseek(f, 0, SEEK_END);
	elf_size = (size_t)ftell(f);
	rewind(f);
	elf = malloc(elf_size);
	if (fread(elf, 1, elf_size, f) != elf_size)
		return 2;
	fclose(f);
	RUN(test_real_image_loads);
	RUN(test_truncated_images_refused_or_whole);
	RUN(test_flipped_bytes_never_crash);
	RUN(test_wrong_machine_and_missing_note);
	RUN(test_segment_below_1mib_refused);
	RUN(test_memmap_usable_types_merge);
	RUN(test_memmap_reserved_range_splits_one_entry);
	RUN(test_memmap_too_many_keeps_largest_usable);
	RUN(test_load_options);
	free(elf);
	return CHECK_EXIT_STATUS();
}
