/* Minimal ACPI: find RSDP -> RSDT/XSDT -> FADT -> DSDT, and read a device's GSI from its _CRS bytes. */
#include <skiff/boot.h>
#include <skiff/irq.h>
#include "acpi.h"
#include "kerrno.h"

struct sdt_header {
	char sig[4];
	uint32_t length;
	uint8_t revision, checksum;
	char oem[6], oem_table[8];
	uint32_t oem_rev, creator, creator_rev;
} __attribute__((packed));

static int searched;
static const uint8_t *dsdt;
static uint32_t dsdt_len;
static int rsdp_found;

static uint32_t rd32(const uint8_t *p) { return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24; }
static uint64_t rd64(const uint8_t *p) { return rd32(p) | (uint64_t)rd32(p + 4) << 32; }

static int sum_ok(const uint8_t *p, uint32_t n)
{
	uint8_t s = 0;
	for (uint32_t i = 0; i < n; i++)
		s = (uint8_t)(s + p[i]);
	return s == 0;
}

/* Map a table and check its signature, length and checksum. */
static const struct sdt_header *table_at(uint64_t pa, const char *sig)
{
	if (!pa || dev_map_firmware(pa, sizeof(struct sdt_header)))
		return 0;
	const struct sdt_header *h = (const struct sdt_header *)pa;
	if (h->length < sizeof(*h) || h->length > (16u << 20) || dev_map_firmware(pa, h->length))
		return 0;
	for (int i = 0; i < 4; i++)
		if (h->sig[i] != sig[i])
			return 0;
	return sum_ok((const uint8_t *)h, h->length) ? h : 0;
}

/* ACPI 6.4 §5.2.5: the loader's RSDP (or the kernel's search of the BIOS area), checked. */
static const uint8_t *find_rsdp(void)
{
	uint64_t pa = boot_acpi_rsdp();
	if (!pa || dev_map_firmware(pa, 36))
		return 0;
	const uint8_t *p = (const uint8_t *)pa;
	return rd64(p) == 0x2052545020445352ULL && sum_ok(p, 20) ? p : 0; /* "RSD PTR " */
}

static const struct sdt_header *find_fadt(const uint8_t *rsdp)
{
	const struct sdt_header *root;
	int wide = rsdp[15] >= 2 && (root = table_at(rd64(rsdp + 24), "XSDT"));
	if (!wide && !(root = table_at(rd32(rsdp + 16), "RSDT")))
		return 0;
	unsigned step = wide ? 8 : 4;
	const uint8_t *e = (const uint8_t *)(root + 1), *end = (const uint8_t *)root + root->length;
	for (; e + step <= end; e += step) {
		const struct sdt_header *t = table_at(wide ? rd64(e) : rd32(e), "FACP");
		if (t)
			return t;
	}
	return 0;
}

static void search(void)
{
	searched = 1;
	const uint8_t *rsdp = find_rsdp();
	if (!rsdp)
		return;
	rsdp_found = 1;
	const struct sdt_header *fadt = find_fadt(rsdp);
	if (!fadt)
		return;
	const uint8_t *f = (const uint8_t *)fadt;
	/* FADT: DSDT at offset 40, X_DSDT at 140 (ACPI 6.4 §5.2.9). */
	uint64_t pa = fadt->length >= 148 && rd64(f + 140) ? rd64(f + 140) : rd32(f + 40);
	const struct sdt_header *d = table_at(pa, "DSDT");
	if (d) {
		dsdt = (const uint8_t *)d;
		dsdt_len = d->length;
	}
}

int acpi_present(void)
{
	if (!searched)
		search();
	return rsdp_found;
}

int acpi_mmio_irq(uint64_t base, unsigned *gsi, unsigned *flags)
{
	if (!searched)
		search();
	if (!dsdt || base > 0xffffffffu)
		return -ENODEV;
	/* Memory32Fixed: 0x86, length 9 (u16), info, base, size = 12 bytes;
	 * then Extended Interrupt: 0x89, length (u16, >= 6), flags, count, GSIs. */
	for (uint32_t i = sizeof(struct sdt_header); i + 12 + 9 <= dsdt_len; i++) {
		const uint8_t *p = dsdt + i;
		if (p[0] != 0x86 || p[1] != 9 || p[2] != 0 || rd32(p + 4) != base)
			continue;
		const uint8_t *x = p + 12;
		if (x[0] != 0x89 || (x[1] | x[2] << 8) < 6 || x[4] < 1)
			continue;
		*gsi = rd32(x + 5);
		/* flags bit 1: edge (else level); bit 2: active low */
		*flags = (x[3] & 2 ? IRQ_EDGE : IRQ_LEVEL) | (x[3] & 4 ? IRQ_ACTIVE_LOW : 0);
		return 0;
	}
	return -ENODEV;
}
