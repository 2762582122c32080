/* ACPI: RSDP -> RSDT/XSDT -> tables (checksummed), and S5 power-off through the FADT. */
#include <stddef.h>
#include <skiff/acpi.h>
#include <skiff/boot.h>
#include <skiff/mm.h>
#include "acpi.h"
#include "cpu.h"
#include "mmu.h"

struct sdt {
	char sig[4];
	uint32_t length;
	uint8_t revision, checksum;
	char oem[6], oem_table[8];
	uint32_t oem_rev, creator, creator_rev;
} __attribute__((packed));

struct gas {
	uint8_t space, bit_width, bit_offset, access;
	uint64_t addr;
} __attribute__((packed));

static uint64_t rsdp_addr;
#define RSDP_SIGNATURE 0x2052545020445352ULL /* "RSD PTR ", little-endian */

/* ACPI 6.4 §5.2.5.3: the RSDP starts with its 8-byte signature. */
static int rsdp_signed(uint64_t pa)
{
	return *(const volatile uint64_t *)pa == RSDP_SIGNATURE;
}

void acpi_set_rsdp(uint64_t rsdp)
{
	rsdp_addr = rsdp;
}

static uint32_t rd32(const uint8_t *p) { return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24; }
static uint64_t rd64(const uint8_t *p) { return rd32(p) | (uint64_t)rd32(p + 4) << 32; }

static int same(const char *p, const char *s, int n)
{
	for (int i = 0; i < n; i++)
		if (p[i] != s[i])
			return 0;
	return 1;
}

static int sum_ok(const uint8_t *p, uint32_t n)
{
	uint8_t s = 0;
	for (uint32_t i = 0; i < n; i++)
		s = (uint8_t)(s + p[i]);
	return s == 0;
}

/* Firmware tables may sit outside RAM: map them (identity, read-only) first. */
static int map(uint64_t pa, uint64_t len)
{
	for (uint64_t p = pa & ~(PAGE_SIZE - 1); p < pa + len; p += PAGE_SIZE)
		if (!mmu_is_mapped(p) && mmu_map(p, p, mmu_nx()))
			return -1;
	return 0;
}

uint64_t boot_acpi_rsdp(void)
{
	static int searched;
	if (rsdp_addr || searched)
		return rsdp_addr;
	searched = 1; /* the BIOS area does not change: once, found or not */
	for (uint64_t p = 0xe0000; p < 0x100000; p += 16) /* ACPI 6.4 §5.2.5.1: BIOS area */
		if (rsdp_signed(p)) {
			rsdp_addr = p;
			break;
		}
	return rsdp_addr;
}

/* ACPI 6.4 §5.2.6: a table with this signature, of sane length, summing to 0. */
static const struct sdt *table_at(uint64_t pa, const char *sig)
{
	if (!pa || map(pa, sizeof(struct sdt)))
		return NULL;
	const struct sdt *h = (const struct sdt *)pa;
	if (!same(h->sig, sig, 4) || h->length < sizeof(*h) || h->length > (16u << 20) ||
	    map(pa, h->length))
		return NULL;
	return sum_ok((const uint8_t *)h, h->length) ? h : NULL;
}

static const uint8_t *rsdp(void)
{
	uint64_t pa = boot_acpi_rsdp();
	if (!pa || map(pa, 36) || !rsdp_signed(pa) ||
	    !sum_ok((const uint8_t *)pa, 20))
		return NULL;
	return (const uint8_t *)pa;
}

const void *acpi_table(const char *sig)
{
	const uint8_t *r = rsdp();
	if (!r)
		return NULL;
	if (same(sig, "DSDT", 4)) { /* FADT: DSDT at 40, X_DSDT at 140 (ACPI 6.4 §5.2.9) */
		const uint8_t *f = acpi_table("FACP");
		if (!f)
			return NULL;
		uint32_t len = ((const struct sdt *)f)->length;
		return table_at(len >= 148 && rd64(f + 140) ? rd64(f + 140) : rd32(f + 40), "DSDT");
	}
	const struct sdt *root;
	int wide = r[15] >= 2 && (root = table_at(rd64(r + 24), "XSDT"));
	if (!wide && !(root = table_at(rd32(r + 16), "RSDT")))
		return NULL;
	unsigned step = wide ? 8 : 4;
	const uint8_t *e = (const uint8_t *)(root + 1), *end = (const uint8_t *)root + root->length;
	for (; e + step <= end; e += step) {
		const struct sdt *t = table_at(wide ? rd64(e) : rd32(e), sig);
		if (t)
			return t;
	}
	return NULL;
}

/* SLP_TYPa of \_S5_: Name(_S5_, Package(){ a, b, ... }) in the DSDT's AML. */
static int s5_sleep_type(int fallback)
{
	const struct sdt *dsdt = acpi_table("DSDT");
	if (!dsdt)
		return fallback;
	const uint8_t *p = (const uint8_t *)dsdt, *end = p + dsdt->length - 8;
	for (; p < end; p++) {
		if (!same((const char *)p, "_S5_", 4) || p[4] != 0x12)
			continue;
		const uint8_t *q = p + 5;
		q += ((*q >> 6) & 3) + 1; /* PkgLength */
		q++;                      /* NumElements */
		if (*q == 0x0a)           /* BytePrefix */
			return q[1];
		if (*q == 0x00 || *q == 0x01) /* ZeroOp, OneOp */
			return *q;
		return fallback;
	}
	return fallback;
}

void acpi_poweroff(void)
{
	const uint8_t *fadt = acpi_table("FACP");
	if (!fadt)
		return;
	uint32_t len = ((const struct sdt *)fadt)->length;
	uint32_t flags = rd32(fadt + 112);
	if ((flags & (1U << 20)) && len >= 256) { /* HW_REDUCED_ACPI: sleep control register */
		const struct gas *ctl = (const struct gas *)(fadt + 244);
		uint8_t v = (uint8_t)((s5_sleep_type(5) & 7) << 2) | (1 << 5);
		if (ctl->space == 1)
			io_out8((uint16_t)ctl->addr, v);
		else if (ctl->space == 0 && !mmu_map_device(ctl->addr, 1))
			*(volatile uint8_t *)ctl->addr = v;
		return;
	}
	uint32_t pm1a = rd32(fadt + 64);
	if (pm1a)
		io_out16((uint16_t)pm1a, (uint16_t)((s5_sleep_type(0) & 7) << 10) | (1 << 13));
}
