/* PCI configuration space (ECAM from the ACPI MCFG table, else ports 0xcf8/0xcfc), bus walk, BARs, MSI-X. */
#include <skiff/acpi.h>
#include <skiff/boot.h>
#include <skiff/irq.h>
#include <skiff/sync.h>
#include <skiff/io.h>
#include "kerrno.h"
#include "pci.h"
#include "probe.h"

#define CONFIG_ADDRESS 0xcf8
#define CONFIG_DATA    0xcfc

#define MSIX_CTRL_ENABLE 0x8000
#define MSIX_CTRL_MASK   0x4000
#define MSIX_ENTRY_MASKED 1

/* PCIe ECAM (PCI Firmware 3.2 §4.1.2, ACPI MCFG): 4 KiB of config space per function,
 * memory-mapped. Segment 0 only; `pci=noecam` on the kernel command line forces ports. */
static struct {
	int checked;
	uint64_t base;            /* 0: no ECAM, use the ports */
	unsigned start_bus, end_bus;
} ecam;

static void ecam_find(void)
{
	ecam.checked = 1;
	const char *opt = boot_karg("pci");
	if (opt && opt[0] == 'n')
		return;
	const uint8_t *mcfg = acpi_table("MCFG");
	if (!mcfg)
		return;
	uint32_t len = mcfg[4] | mcfg[5] << 8 | mcfg[6] << 16 | (uint32_t)mcfg[7] << 24;
	for (uint32_t off = 44; off + 16 <= len; off += 16) { /* header + 8 reserved bytes */
		const uint8_t *e = mcfg + off;
		uint64_t base = 0;
		for (int i = 7; i >= 0; i--)
			base = base << 8 | e[i];
		unsigned seg = e[8] | e[9] << 8, start = e[10], end = e[11];
		if (seg != 0 || !base || end < start)
			continue;
		if (dev_map_mmio(base + ((uint64_t)start << 20), (uint64_t)(end - start + 1) << 20))
			return;
		ecam.base = base;
		ecam.start_bus = start;
		ecam.end_bus = end;
		return;
	}
}

/* The function's config space in ECAM, or 0 when it must go through the ports. */
static uint64_t ecam_addr(const struct pci_dev *d, unsigned off)
{
	if (!ecam.checked)
		ecam_find();
	if (!ecam.base || d->bus < ecam.start_bus || d->bus > ecam.end_bus)
		return 0;
	return ecam.base + ((uint64_t)d->bus << 20 | (uint64_t)d->slot << 15 |
			    (uint64_t)d->fn << 12 | (off & 0xffc));
}

const char *pci_config_access(void)
{
	if (!ecam.checked)
		ecam_find();
	return ecam.base ? "ecam" : "ports";
}

static uint32_t addr_of(const struct pci_dev *d, unsigned off)
{
	return 0x80000000u | (uint32_t)d->bus << 16 | (uint32_t)d->slot << 11 |
	       (uint32_t)d->fn << 8 | (off & 0xfc);
}

/* The address/data pair is one global register: interrupts off around it. Not split
 * and partly inlined into pci_read16/8 (gcc would): one copy of the config access. */
__attribute__((noipa)) uint32_t pci_read32(const struct pci_dev *d, unsigned off)
{
	uint64_t mm = ecam_addr(d, off);
	if (mm)
		return mmio_in32(mm);
	unsigned long f = irq_save();
	io_out32(CONFIG_ADDRESS, addr_of(d, off));
	uint32_t v = io_in32(CONFIG_DATA);
	irq_restore(f);
	return v;
}

uint16_t pci_read16(const struct pci_dev *d, unsigned off)
{
	return (uint16_t)(pci_read32(d, off) >> ((off & 2) * 8));
}

uint8_t pci_read8(const struct pci_dev *d, unsigned off)
{
	return (uint8_t)(pci_read32(d, off) >> ((off & 3) * 8));
}

void pci_write32(const struct pci_dev *d, unsigned off, uint32_t v)
{
	uint64_t mm = ecam_addr(d, off);
	if (mm) {
		mmio_out32(mm, v);
		return;
	}
	unsigned long f = irq_save();
	io_out32(CONFIG_ADDRESS, addr_of(d, off));
	io_out32(CONFIG_DATA, v);
	irq_restore(f);
}

void pci_write16(const struct pci_dev *d, unsigned off, uint16_t v)
{
	uint64_t mm = ecam_addr(d, off);
	if (mm) {
		mmio_out16(mm + (off & 2), v);
		return;
	}
	unsigned long f = irq_save();
	io_out32(CONFIG_ADDRESS, addr_of(d, off));
	io_out16((uint16_t)(CONFIG_DATA + (off & 2)), v);
	irq_restore(f);
}

int pci_present(void)
{
	unsigned long f = irq_save();
	io_out32(CONFIG_ADDRESS, 0x80000000u);
	int ok = io_in32(CONFIG_ADDRESS) == 0x80000000u;
	irq_restore(f);
	struct pci_dev host = { 0, 0, 0, 0, 0 };
	return ok && pci_read16(&host, PCI_VENDOR) != 0xffff;
}

static int scan_bus(unsigned bus, int (*fn)(const struct pci_dev *d), int depth)
{
	int n = 0;
	for (unsigned slot = 0; slot < 32; slot++) {
		for (unsigned func = 0; func < 8; func++) {
			struct pci_dev d = { (uint8_t)bus, (uint8_t)slot, (uint8_t)func, 0, 0 };
			uint32_t id = pci_read32(&d, PCI_VENDOR);
			if ((id & 0xffff) == 0xffff) {
				if (func == 0)
					break;
				continue;
			}
			d.vendor = (uint16_t)id;
			d.device = (uint16_t)(id >> 16);
			uint8_t htype = pci_read8(&d, PCI_HEADER_TYPE);
			if ((htype & 0x7f) == 1 && depth < 8) { /* PCI-to-PCI bridge */
				unsigned secondary = pci_read8(&d, 0x19);
				if (secondary > bus)
					n += scan_bus(secondary, fn, depth + 1);
			} else {
				n += fn(&d);
			}
			if (func == 0 && !(htype & 0x80))
				break; /* single-function device */
		}
	}
	return n;
}

int pci_scan(int (*fn)(const struct pci_dev *d))
{
	return scan_bus(0, fn, 0);
}

unsigned pci_find_cap(const struct pci_dev *d, uint8_t id, unsigned after)
{
	if (!(pci_read16(d, PCI_STATUS) & PCI_STATUS_CAPS))
		return 0;
	unsigned off = after ? pci_read8(d, after + 1) : pci_read8(d, PCI_CAP_PTR);
	for (int guard = 0; off >= 0x40 && guard < 48; guard++) {
		off &= 0xfc;
		if (pci_read8(d, off) == id)
			return off;
		off = pci_read8(d, off + 1);
	}
	return 0;
}

uint64_t pci_bar(const struct pci_dev *d, unsigned i, int *io)
{
	if (i > 5)
		return 0;
	uint32_t lo = pci_read32(d, PCI_BAR0 + 4 * i);
	*io = lo & 1;
	if (*io)
		return lo & ~3u;
	uint64_t base = lo & ~0xfu;
	if (((lo >> 1) & 3) == 2 && i < 5) /* 64-bit memory BAR */
		base |= (uint64_t)pci_read32(d, PCI_BAR0 + 4 * (i + 1)) << 32;
	return base;
}

/* The MSI-X table: BAR (BIR) + offset, 16 bytes an entry. */
static uint64_t msix_table(const struct pci_dev *d, unsigned cap, unsigned *size)
{
	uint16_t ctrl = pci_read16(d, cap + 2);
	uint32_t tab = pci_read32(d, cap + 4);
	int io;
	uint64_t bar = pci_bar(d, tab & 7, &io);
	*size = (ctrl & 0x7ff) + 1u;
	if (!bar || io)
		return 0;
	uint64_t t = bar + (tab & ~7u);
	return dev_map_mmio(t, *size * 16u) ? 0 : t;
}

int pci_msix_enable(const struct pci_dev *d, unsigned *table_size)
{
	unsigned cap = pci_find_cap(d, PCI_CAP_MSIX, 0);
	if (!cap)
		return -ENODEV;
	uint64_t t = msix_table(d, cap, table_size);
	if (!t)
		return -ENOMEM;
	uint16_t ctrl = pci_read16(d, cap + 2);
	pci_write16(d, cap + 2, ctrl | MSIX_CTRL_MASK); /* mask all while we set up */
	for (unsigned i = 0; i < *table_size; i++)
		mmio_out32(t + 16 * i + 12, MSIX_ENTRY_MASKED);
	pci_write16(d, cap + 2, (uint16_t)((ctrl | MSIX_CTRL_ENABLE) & ~MSIX_CTRL_MASK));
	pci_write16(d, PCI_COMMAND, pci_read16(d, PCI_COMMAND) | PCI_CMD_INTX_OFF);
	return 0;
}

int pci_msix_set(const struct pci_dev *d, unsigned entry, uint64_t addr, uint32_t data)
{
	unsigned cap = pci_find_cap(d, PCI_CAP_MSIX, 0), size;
	if (!cap)
		return -ENODEV;
	uint64_t t = msix_table(d, cap, &size);
	if (!t || entry >= size)
		return -EINVAL;
	uint64_t e = t + 16 * entry;
	mmio_out32(e + 12, MSIX_ENTRY_MASKED);
	mmio_out32(e + 0, (uint32_t)addr);
	mmio_out32(e + 4, (uint32_t)(addr >> 32));
	mmio_out32(e + 8, data);
	mmio_out32(e + 12, 0);
	return 0;
}

void pci_msix_disable(const struct pci_dev *d)
{
	unsigned cap = pci_find_cap(d, PCI_CAP_MSIX, 0);
	if (!cap)
		return;
	pci_write16(d, cap + 2, pci_read16(d, cap + 2) & ~MSIX_CTRL_ENABLE);
	pci_write16(d, PCI_COMMAND, pci_read16(d, PCI_COMMAND) & ~PCI_CMD_INTX_OFF);
}

int pci_msix_enabled(const struct pci_dev *d)
{
	unsigned cap = pci_find_cap(d, PCI_CAP_MSIX, 0);
	return cap && (pci_read16(d, cap + 2) & MSIX_CTRL_ENABLE);
}
