/* What device drivers need from the kernel: interrupt routing, device mappings, DMA addresses. */
#ifndef SKIFF_IRQ_H
#define SKIFF_IRQ_H

#include <stddef.h>
#include <stdint.h>

/*
 * Interrupt handlers run with interrupts off on the interrupt stack. They
 * acknowledge the device and wake a thread (waitq_wake_one, sk_sem_up); the
 * scheduler switches to the woken thread when the handler returns. EOI is
 * done by the kernel. Every handler attached here counts as a source that
 * can wake threads (the idle loop's deadlock check).
 *
 * Errors: -errno values (newlib's numbering): -EINVAL, -ENOSPC (no vector or
 * handler slot left), -ENODEV (no IOAPIC serves that GSI).
 */

#define IRQ_EDGE       0x0u
#define IRQ_LEVEL      0x1u /* level-triggered (PCI INTx, virtio-mmio) */
#define IRQ_ACTIVE_LOW 0x2u

/* Route global system interrupt `gsi` (IOAPIC input; 24 per IOAPIC, the one
 * at 0xfec00000 serves 0-23, microvm's second at 0xfec10000 serves 24-47)
 * to fn(arg), and unmask it. A GSI may be shared (level-triggered only):
 * every handler on it runs. Returns the CPU vector used, or -errno. */
int irq_attach_gsi(unsigned gsi, unsigned flags, void (*fn)(void *arg), void *arg);

/* Remove a handler attached with irq_attach_gsi (same fn and arg); the GSI
 * is masked once no handler is left. */
void irq_detach_gsi(unsigned gsi, void (*fn)(void *arg), void *arg);

/* Mask or unmask a GSI at its IOAPIC (all handlers on it). */
void irq_mask_gsi(unsigned gsi, int masked);

/* Allocate an MSI/MSI-X vector running fn(arg); program(arg, addr, data)
 * writes the message into the device (fixed delivery, edge) now, and again
 * whenever the kernel moves the interrupt to another CPU (kernel argument
 * irqcpu=N: device interrupts go to CPU N once it is up; default CPU 0).
 * Returns the vector, -ENOSPC when all 8 are taken, or program's -errno. */
int irq_attach_msi(void (*fn)(void *arg), void *arg,
		   int (*program)(void *arg, uint64_t addr, uint32_t data));

/* Free a vector returned by irq_attach_msi (the device must no longer send it). */
void irq_detach_msi(int vector);

/* Device interrupts handled on each CPU so far into counts[0..]: returns the
 * number of CPUs filled in (CPUs up, at most max). */
int irq_cpu_counts(uint64_t *counts, int max);

/* Every attached handler counts as something that may wake a blocked thread:
 * while one is attached, "every thread blocked forever" is no deadlock. A
 * driver whose interrupt wakes threads only at times (the console link: a
 * reader waiting for stdin) gives its count back with delta -1 after
 * attaching and takes it (+1) just while a thread waits on it. */
void irq_wake_source(int delta);

/* Map [pa, pa + size) uncached and identity (virtual == physical), for
 * device registers. 0, or -ENOMEM. Mapping an already mapped range is fine. */
int dev_map_mmio(uint64_t pa, uint64_t size);

/* Map [pa, pa + size) read-only and identity, for firmware tables (ACPI)
 * that lie outside usable RAM. 0, or -ENOMEM. */
int dev_map_firmware(uint64_t pa, uint64_t size);

/* Physical address behind kernel virtual address va (identity-mapped RAM,
 * heap, thread stacks), or 0 when va is not mapped. Contiguity holds only
 * up to the end of va's page (see dma_contig). */
uint64_t dma_phys(const void *va);

/* Bytes from va, at most len, that are physically contiguous (and mapped).
 * 0 when va is not mapped. */
size_t dma_contig(const void *va, size_t len);

#endif
