/* Local APIC: end-of-interrupt and the one-shot timer; legacy PIC masked. */
#ifndef SKIFF_KERNEL_LAPIC_H
#define SKIFF_KERNEL_LAPIC_H

#include <stdint.h>

int lapic_init(void);
/* Enable this CPU's LAPIC (spurious vector, timer masked): each application processor. */
void lapic_init_ap(void);
/* This CPU's xAPIC id. */
uint32_t lapic_id(void);
/* Send an IPI (ICR low word) to xAPIC id apic_id; returns when it has left. */
void lapic_send_ipi(uint32_t apic_id, uint32_t icr_lo);
void lapic_eoi(void);
/* Fire VEC_TIMER once after `count` timer ticks (divide-by-1); 0 stops it. */
void lapic_timer_oneshot(uint32_t count);
/* Start counting down from 2^32-1 with the interrupt masked (calibration). */
void lapic_timer_start_masked(void);
/* Current count of the timer (counts down). */
uint32_t lapic_timer_current(void);

#endif
