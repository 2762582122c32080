/* PCI: configuration space (ECAM or ports 0xcf8/0xcfc), bus walk, capabilities, BARs, MSI-X. */
#ifndef SKIFF_DRIVERS_PCI_H
#define SKIFF_DRIVERS_PCI_H

#include <stdint.h>

/* PCI Local Bus 3.0 configuration header offsets used here. */
#define PCI_VENDOR      0x00
#define PCI_DEVICE      0x02
#define PCI_COMMAND     0x04
#define PCI_STATUS      0x06
#define PCI_HEADER_TYPE 0x0e
#define PCI_BAR0        0x10
#define PCI_SUBSYS_ID   0x2e
#define PCI_CAP_PTR     0x34
#define PCI_INT_LINE    0x3c
#define PCI_INT_PIN     0x3d

#define PCI_CMD_IO       0x1
#define PCI_CMD_MEM      0x2
#define PCI_CMD_MASTER   0x4
#define PCI_CMD_INTX_OFF 0x400
#define PCI_STATUS_CAPS  0x10

#define PCI_CAP_MSIX   0x11
#define PCI_CAP_VENDOR 0x09

struct pci_dev {
	uint8_t bus, slot, fn;
	uint16_t vendor, device;
};

/* "ecam" or "ports": how configuration space is reached (decided on first use). */
const char *pci_config_access(void);

uint32_t pci_read32(const struct pci_dev *d, unsigned off);
uint16_t pci_read16(const struct pci_dev *d, unsigned off);
uint8_t pci_read8(const struct pci_dev *d, unsigned off);
void pci_write32(const struct pci_dev *d, unsigned off, uint32_t v);
void pci_write16(const struct pci_dev *d, unsigned off, uint16_t v);

/* Call fn for every function on every bus reachable from bus 0; returns the
 * sum of fn's results. */
int pci_scan(int (*fn)(const struct pci_dev *d));

/* Offset of the first capability with id after offset `after` (0: from the
 * start of the list), or 0 if none. */
unsigned pci_find_cap(const struct pci_dev *d, uint8_t id, unsigned after);

/* Base address of BAR i (64-bit BARs combined), *io set for I/O space.
 * 0 when the BAR is unused. */
uint64_t pci_bar(const struct pci_dev *d, unsigned i, int *io);

/* MSI-X (PCI 3.0 §6.8.2): enable with every vector masked; program and
 * unmask table entry `entry`. 0, or -errno (no capability, no memory). */
int pci_msix_enable(const struct pci_dev *d, unsigned *table_size);
int pci_msix_set(const struct pci_dev *d, unsigned entry, uint64_t addr, uint32_t data);
void pci_msix_disable(const struct pci_dev *d);
int pci_msix_enabled(const struct pci_dev *d);

#endif
