/* ACPI S5 power-off: RSDP -> RSDT/XSDT -> FADT (+ \_S5_ from the DSDT), then the sleep register. */
#include <stddef.h>
#include <skiff/boot.h>
#include "acpi.h"
#include "cpu.h"
#include "mmu.h"

struct rsdp {
	char sig[8];
	uint8_t checksum;
	char oem[6];
	uint8_t revision;
	uint32_t rsdt;
	uint32_t length;
	uint64_t xsdt;
} __attribute__((packed));

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

void acpi_set_rsdp(uint64_t rsdp)
{
	rsdp_addr = rsdp;
}

static int sig_is(const char *p, const char *s, int n)
{
	for (int i = 0; i < n; i++)
		if (p[i] != s[i])
			return 0;
	return 1;
}

static const void *map(uint64_t pa, uint64_t len)
{
	if (!pa || mmu_map_device(pa, len))
		return NULL;
	return (const void *)pa;
}

static uint64_t find_rsdp(void)
{
	if (rsdp_addr)
		return rsdp_addr;
	for (uint64_t p = 0xe0000; p < 0x100000; p += 16)
		if (sig_is((const char *)p, "RSD PTR ", 8))
			return p;
	return 0;
}

uint64_t boot_acpi_rsdp(void)
{
	return find_rsdp();
}

static const struct sdt *find_table(const struct rsdp *r, const char *sig)
{
	int wide = r->revision >= 2 && r->xsdt;
	const struct sdt *root = map(wide ? r->xsdt : r->rsdt, sizeof(struct sdt));
	if (!root || !map((uint64_t)root, root->length))
		return NULL;
	int n = (root->length - sizeof(*root)) / (wide ? 8 : 4);
	const uint8_t *entries = (const uint8_t *)(root + 1);
	for (int i = 0; i < n; i++) {
		uint64_t pa = wide ? *(const uint64_t *)(entries + 8 * i)
				   : *(const uint32_t *)(entries + 4 * i);
		const struct sdt *t = map(pa, sizeof(struct sdt));
		if (t && sig_is(t->sig, sig, 4) && map(pa, t->length))
			return t;
	}
	return NULL;
}

/* SLP_TYPa of \_S5_: Name(_S5_, Package(){ a, b, ... }) in the DSDT's AML. */
static int s5_sleep_type(const struct sdt *dsdt, int fallback)
{
	if (!dsdt)
		return fallback;
	const uint8_t *p = (const uint8_t *)dsdt, *end = p + dsdt->length - 8;
	for (; p < end; p++) {
		if (!sig_is((const char *)p, "_S5_", 4) || p[4] != 0x12)
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
	const struct rsdp *r = map(find_rsdp(), sizeof(struct rsdp));
	if (!r || !sig_is(r->sig, "RSD PTR ", 8))
		return;
	const uint8_t *fadt = (const uint8_t *)find_table(r, "FACP");
	if (!fadt)
		return;
	uint32_t len = ((const struct sdt *)fadt)->length;
	uint32_t flags = *(const uint32_t *)(fadt + 112);
	uint64_t dsdt = len >= 148 ? *(const uint64_t *)(fadt + 140) : 0;
	if (!dsdt)
		dsdt = *(const uint32_t *)(fadt + 40);
	const struct sdt *d = map(dsdt, sizeof(struct sdt));
	if (d && !map(dsdt, d->length))
		d = NULL;
	if ((flags & (1U << 20)) && len >= 244) { /* HW_REDUCED_ACPI: sleep control register */
		const struct gas *ctl = (const struct gas *)(fadt + 244);
		uint8_t v = (uint8_t)((s5_sleep_type(d, 5) & 7) << 2) | (1 << 5);
		if (ctl->space == 1)
			io_out8((uint16_t)ctl->addr, v);
		else if (ctl->space == 0 && map(ctl->addr, 1))
			*(volatile uint8_t *)ctl->addr = v;
		return;
	}
	uint32_t pm1a = *(const uint32_t *)(fadt + 64);
	if (pm1a)
		io_out16((uint16_t)pm1a, (uint16_t)((s5_sleep_type(d, 0) & 7) << 10) | (1 << 13));
}
