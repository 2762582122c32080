/* Application processors: per-CPU records (reached through the GS base) and bring-up. */
#ifndef SKIFF_KERNEL_SMP_H
#define SKIFF_KERNEL_SMP_H

#include <stdint.h>
#include "smp_defs.h"

/* One per CPU that came up; %gs:0 points at the CPU's own (MSR_GS_BASE). */
struct percpu {
	struct percpu *self;
	int id;            /* 0 = the boot CPU, then in MADT order */
	uint32_t apic_id;
	uint64_t idle_hi;    /* top of this CPU's idle stack (guard page below it) */
	uint64_t ist_hi[2];  /* tops of its page-fault and double-fault IST stacks (guarded) */
};

#define MSR_GS_BASE 0xC0000101

/* Start every enabled processor the MADT lists (once; later calls return at once).
 * Interrupts off. Returns the number of CPUs up, the boot CPU included. */
int smp_bringup(void);

#endif
