/* Copy the loader's boot information (PVH, Multiboot v1, EFI hand-off) into struct bootinfo. */
#include "bootinfo.h"
#include "boot_defs.h"

#define PVH_MAGIC 0x336ec578
#define MULTIBOOT_MAGIC 0x2badb002

struct hvm_start_info {
	uint32_t magic, version, flags, nr_modules;
	uint64_t modlist_paddr, cmdline_paddr, rsdp_paddr;
	uint64_t memmap_paddr;     /* version >= 1 */
	uint32_t memmap_entries, reserved;
};

struct hvm_memmap_entry {
	uint64_t addr, size;
	uint32_t type, reserved;
};

struct hvm_modlist_entry {
	uint64_t paddr, size, cmdline_paddr, reserved;
};

struct mb_info {
	uint32_t flags, mem_lower, mem_upper, boot_device, cmdline;
	uint32_t mods_count, mods_addr;
	uint32_t syms[4];
	uint32_t mmap_length, mmap_addr;
};

struct mb_mmap {
	uint32_t size;
	uint64_t addr, len;
	uint32_t type;
} __attribute__((packed));

struct mb_module {
	uint32_t start, end, string, reserved;
};

static void copy_cmdline(struct bootinfo *bi, const char *s)
{
	size_t n = 0;
	if (s)
		for (; s[n]; n++)
			if (n < CMDLINE_MAX - 1)
				bi->cmdline[n] = s[n];
	bi->cmdline_len = n;
	bi->cmdline[n < CMDLINE_MAX - 1 ? n : CMDLINE_MAX - 1] = '\0';
}

static void add_mem(struct bootinfo *bi, uint64_t addr, uint64_t size, uint32_t type)
{
	if (bi->nmem < BOOTINFO_MAX_MEM)
		bi->mem[bi->nmem++] = (struct boot_mem){ addr, size, type };
}

static void add_mod(struct bootinfo *bi, uint64_t addr, uint64_t size)
{
	if (bi->nmods < BOOTINFO_MAX_MODS)
		bi->mods[bi->nmods++] = (struct boot_module){ addr, size };
}

static int read_pvh(struct bootinfo *bi, const struct hvm_start_info *si)
{
	if (si->magic != PVH_MAGIC)
		return -1;
	copy_cmdline(bi, (const char *)(uintptr_t)si->cmdline_paddr);
	bi->rsdp = si->rsdp_paddr;
	const struct hvm_modlist_entry *mods = (const void *)(uintptr_t)si->modlist_paddr;
	for (uint32_t i = 0; mods && i < si->nr_modules; i++)
		add_mod(bi, mods[i].paddr, mods[i].size);
	if (si->version >= 1 && si->memmap_paddr) {
		const struct hvm_memmap_entry *e = (const void *)(uintptr_t)si->memmap_paddr;
		for (uint32_t i = 0; i < si->memmap_entries; i++)
			add_mem(bi, e[i].addr, e[i].size, e[i].type);
	}
	return 0;
}

static int read_multiboot(struct bootinfo *bi, const struct mb_info *mb, uint32_t magic)
{
	if (magic != MULTIBOOT_MAGIC)
		return -1;
	if (mb->flags & (1 << 2)) {
		/* QEMU puts the kernel's file name first: drop that word. */
		const char *s = (const char *)(uintptr_t)mb->cmdline;
		while (*s && *s != ' ')
			s++;
		while (*s == ' ')
			s++;
		copy_cmdline(bi, s);
	}
	if (mb->flags & (1 << 3)) {
		const struct mb_module *m = (const void *)(uintptr_t)mb->mods_addr;
		for (uint32_t i = 0; i < mb->mods_count; i++)
			add_mod(bi, m[i].start, m[i].end - m[i].start);
	}
	if (mb->flags & (1 << 6)) {
		uint32_t off = 0;
		while (off < mb->mmap_length) {
			const struct mb_mmap *e = (const void *)(uintptr_t)(mb->mmap_addr + off);
			add_mem(bi, e->addr, e->len, e->type);
			off += e->size + 4;
		}
	} else if (mb->flags & 1) {
		add_mem(bi, 0, (uint64_t)mb->mem_lower * 1024, 1);
		add_mem(bi, 0x100000, (uint64_t)mb->mem_upper * 1024, 1);
	}
	return 0;
}

static int read_efi(struct bootinfo *bi, const struct efi_handoff *h)
{
	if (h->magic != EFI_HANDOFF_MAGIC)
		return -1;
	copy_cmdline(bi, (const char *)(uintptr_t)h->cmdline);
	bi->rsdp = h->rsdp;
	for (uint32_t i = 0; i < h->nmem && i < BOOTINFO_MAX_MEM; i++)
		add_mem(bi, h->mem[i].addr, h->mem[i].size, h->mem[i].type);
	return 0;
}

static struct bootinfo the_bootinfo;

const struct bootinfo *boot_info(void)
{
	return &the_bootinfo;
}

int bootinfo_read(int proto, uint32_t info_paddr, uint32_t mb_magic)
{
	struct bootinfo *bi = &the_bootinfo;

	bi->proto = proto;
	bi->nmem = bi->nmods = 0;
	const void *info = (const void *)(uintptr_t)info_paddr;
	switch (proto) {
	case BOOT_PROTO_PVH:
		return read_pvh(bi, info);
	case BOOT_PROTO_MULTIBOOT:
		return read_multiboot(bi, info, mb_magic);
	case BOOT_PROTO_EFI:
		return read_efi(bi, info);
	}
	return -1;
}
