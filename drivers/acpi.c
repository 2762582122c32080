/* A memory-mapped device's GSI, read from its _CRS bytes in the DSDT (tables: kernel/acpi.c). */
#include <skiff/acpi.h>
#include <skiff/irq.h>
#include "acpi.h"
#include "kerrno.h"

static uint32_t rd32(const uint8_t *p) { return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24; }

enum { SDT_HEADER_LEN = 36 };

static int searched;
static const uint8_t *dsdt;
static uint32_t dsdt_len;

static void search(void)
{
	searched = 1;
	dsdt = acpi_table("DSDT");
	dsdt_len = dsdt ? rd32(dsdt + 4) : 0;
}

int acpi_mmio_irq(uint64_t base, unsigned *gsi, unsigned *flags)
{
	if (!searched)
		search();
	if (!dsdt || base > 0xffffffffu)
		return -ENODEV;
	/* Memory32Fixed: 0x86, length 9 (u16), info, base, size = 12 bytes;
	 * then Extended Interrupt: 0x89, length (u16, >= 6), flags, count, GSIs. */
	for (uint32_t i = SDT_HEADER_LEN; i + 12 + 9 <= dsdt_len; i++) {
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
