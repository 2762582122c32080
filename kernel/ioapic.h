/* IOAPICs: the redirection table behind irq_attach_gsi (include/skiff/irq.h). */
#ifndef SKIFF_KERNEL_IOAPIC_H
#define SKIFF_KERNEL_IOAPIC_H

#include <stdint.h>

#define IOAPIC0_BASE 0xfec00000UL /* GSIs 0-23 on pc, q35 and microvm */
#define IOAPIC1_BASE 0xfec10000UL /* microvm with ACPI (ioapic2): GSIs 24-47 */
#define IOAPIC_MAX 2

/* Find the IOAPICs (pins stay as reset left them: masked). Idempotent. 0, or -1 (none found / no memory). */
int ioapic_init(void);
/* Program GSI gsi: vector, trigger/polarity (IRQ_* flags), masked or not. */
void ioapic_route(unsigned gsi, uint8_t vector, unsigned flags, int masked);
void ioapic_mask(unsigned gsi, int masked);
/* The CPUs the irqcpu= argument may name are up now (smp_bringup): move every
 * attached GSI and MSI vector there. */
void irq_reroute(void);

#endif
