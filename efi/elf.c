/* The embedded kernel ELF: check it is a skiff image the stub can load, then copy it in place. */
#include "stub.h"

struct ehdr {
	uint8_t ident[16];
	uint16_t type, machine;
	uint32_t version;
	uint64_t entry, phoff, shoff;
	uint32_t flags;
	uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct phdr {
	uint32_t type, flags;
	uint64_t offset, vaddr, paddr, filesz, memsz, align;
};

#define ET_EXEC 2
#define EM_X86_64 62
#define PT_LOAD 1
#define PT_NOTE 4
#define PF_X 1

static uint64_t page_down(uint64_t a)
{
	return a & ~(STUB_PAGE - 1);
}

static uint64_t page_up(uint64_t a)
{
	return (a + STUB_PAGE - 1) & ~(STUB_PAGE - 1);
}

/* 1 if [off, off + len) lies inside a file of `size` bytes. */
static int in_file(uint64_t off, uint64_t len, uint64_t size)
{
	return off <= size && len <= size - off;
}

static const struct phdr *phdr_at(const struct kernel_image *ki, int i)
{
	const struct ehdr *eh = (const void *)ki->elf;
	return (const void *)(ki->elf + eh->phoff + (uint64_t)i * sizeof(struct phdr));
}

/* The skiff note's descriptor (the EFI entry) in one PT_NOTE segment; 0 if absent. */
static uint64_t find_entry_note(const struct kernel_image *ki, const struct phdr *ph)
{
	uint64_t pos = ph->offset, end = ph->offset + ph->filesz;
	if (pos % 4)
		return 0;
	while (end - pos >= 12) {
		const uint32_t *n = (const void *)(ki->elf + pos);
		uint64_t namesz = n[0], descsz = n[1], name_pad = (namesz + 3) & ~3ULL;
		uint64_t desc_pad = (descsz + 3) & ~3ULL;
		if (name_pad > end - pos - 12 || desc_pad > end - pos - 12 - name_pad)
			return 0;
		const char *name = (const char *)(ki->elf + pos + 12);
		int ours = namesz == sizeof(SKIFF_NOTE_OWNER) && n[2] == SKIFF_NOTE_EFI_ENTRY &&
			   descsz == 8;
		for (uint64_t i = 0; ours && i < namesz; i++)
			ours = name[i] == SKIFF_NOTE_OWNER[i];
		if (ours) {
			uint64_t entry;
			__builtin_memcpy(&entry, name + name_pad, 8);
			return entry;
		}
		pos += 12 + name_pad + desc_pad;
	}
	return 0;
}

const char *elf_check(const void *elf, uint64_t size, struct kernel_image *ki)
{
	const struct ehdr *eh = elf;
	ki->elf = elf;
	ki->size = size;
	ki->lo = ~0ULL;
	ki->hi = ki->entry = 0;
	if (size < sizeof(*eh) || eh->ident[0] != 0x7f || eh->ident[1] != 'E' ||
	    eh->ident[2] != 'L' || eh->ident[3] != 'F')
		return "not an ELF file";
	if (eh->ident[4] != 2 || eh->ident[5] != 1 || eh->machine != EM_X86_64)
		return "not a 64-bit little-endian x86-64 ELF";
	if (eh->type != ET_EXEC)
		return "not an ELF executable";
	if (eh->phentsize != sizeof(struct phdr) || eh->phnum == 0 ||
	    !in_file(eh->phoff, (uint64_t)eh->phnum * sizeof(struct phdr), size) ||
	    eh->phoff % 8)
		return "program headers missing or outside the file";
	for (int i = 0; i < eh->phnum; i++) {
		const struct phdr *ph = phdr_at(ki, i);
		if (ph->type == PT_NOTE && !in_file(ph->offset, ph->filesz, size))
			return "note segment outside the file";
		if (ph->type != PT_LOAD || ph->memsz == 0)
			continue;
		if (!in_file(ph->offset, ph->filesz, size) || ph->filesz > ph->memsz)
			return "loadable segment outside the file";
		if (ph->paddr < STUB_KERNEL_MIN)
			return "loadable segment below 1 MiB";
		if (ph->memsz > STUB_KERNEL_MAX || ph->paddr > STUB_KERNEL_MAX - ph->memsz)
			return "loadable segment above 4 GiB";
		if (page_down(ph->paddr) < ki->lo)
			ki->lo = page_down(ph->paddr);
		if (page_up(ph->paddr + ph->memsz) > ki->hi)
			ki->hi = page_up(ph->paddr + ph->memsz);
	}
	if (ki->hi == 0)
		return "no loadable segment";
	for (int i = 0; i < eh->phnum && !ki->entry; i++)
		if (phdr_at(ki, i)->type == PT_NOTE)
			ki->entry = find_entry_note(ki, phdr_at(ki, i));
	if (!ki->entry)
		return "no skiff EFI entry note (owner \"skiff\", type 0x100): not a skiff kernel";
	for (int i = 0; i < eh->phnum; i++) {
		const struct phdr *ph = phdr_at(ki, i);
		if (ph->type == PT_LOAD && (ph->flags & PF_X) && ki->entry >= ph->paddr &&
		    ki->entry < ph->paddr + ph->filesz)
			return 0;
	}
	return "the EFI entry is not inside an executable segment";
}

void elf_load(const struct kernel_image *ki)
{
	const struct ehdr *eh = (const void *)ki->elf;
	uint8_t *span = (uint8_t *)(uintptr_t)ki->lo;
	for (uint64_t i = 0; i < ki->hi - ki->lo; i++)
		span[i] = 0;
	for (int i = 0; i < eh->phnum; i++) {
		const struct phdr *ph = phdr_at(ki, i);
		if (ph->type != PT_LOAD || ph->memsz == 0)
			continue;
		uint8_t *dst = (uint8_t *)(uintptr_t)ph->paddr;
		const uint8_t *src = ki->elf + ph->offset;
		for (uint64_t j = 0; j < ph->filesz; j++)
			dst[j] = src[j];
	}
}
