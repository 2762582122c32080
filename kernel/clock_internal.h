/* Clock helpers for the scheduler and boot statistics. */
#ifndef SKIFF_KERNEL_CLOCK_INTERNAL_H
#define SKIFF_KERNEL_CLOCK_INTERNAL_H

#include <stdint.h>

uint64_t clock_ticks_to_ns(uint64_t tsc_ticks);
/* LAPIC timer ticks for ns nanoseconds, clamped to 1..2^32-1. */
uint32_t clock_ns_to_lapic(uint64_t ns);
const char *clock_tsc_source(void);

#endif
