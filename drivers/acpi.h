/* Minimal ACPI for drivers: the interrupt of a memory-mapped device, read from the DSDT's _CRS bytes. */
#ifndef SKIFF_DRIVERS_ACPI_H
#define SKIFF_DRIVERS_ACPI_H

#include <stdint.h>

/* The GSI and IRQ_* trigger flags of the device whose resource template has
 * Memory32Fixed(base, ...) followed by an Extended Interrupt descriptor
 * (QEMU's microvm writes one such _CRS per virtio-mmio slot in use).
 * 0 when found, -ENODEV otherwise. No AML is interpreted: the static
 * resource buffers are matched byte by byte (ACPI 6.4 §6.4.3.4, §6.4.3.6). */
int acpi_mmio_irq(uint64_t base, unsigned *gsi, unsigned *flags);

#endif
