/* Per-CPU records (reached through the GS base), AP bring-up and TLB shoot-down.
 *
 * Locking (see include/skiff/sync.h): once a second CPU runs threads (sk_smp_on),
 * a CPU running kernel code with interrupts off holds the big kernel lock. The
 * fields below marked "lock" are read and written only under it (or, on one CPU,
 * with interrupts off); "own" fields only by their CPU; "atomic" ones with __atomic
 * builtins (acquire/release as commented where used). */
#ifndef SKIFF_KERNEL_SMP_H
#define SKIFF_KERNEL_SMP_H

#include <stdint.h>
#include <skiff/sched.h>
#include <skiff/sync.h>
#include "smp_defs.h"

struct sk_thread;

struct percpu {
	struct percpu *self;         /* %gs:0 */
	struct sk_thread *current;   /* %gs:8, own: read in one gs-relative load */
	struct sk_thread *idle;      /* own: this CPU's idle thread */
	int id;                      /* 0 = the boot CPU, then in MADT order */
	uint32_t apic_id;
	int need_resched;            /* lock */
	int kicked;                  /* lock: a wake-up IPI is on its way */
	struct sk_thread *rq_head, *rq_tail; /* lock: ready threads queued here, FIFO (sched_rq.c) */
	uint64_t slice_end;          /* own: when current's timeslice ends */
	uint64_t armed_deadline;     /* own: what the LAPIC timer is set for */
	uint64_t tlb_done;           /* atomic: last shoot-down generation flushed here */
	uint64_t idle_hi;            /* top of the AP's idle stack (guard page below it) */
	uint64_t ist_hi[2];          /* tops of its page-fault and double-fault IST stacks */
};

#define MSR_GS_BASE 0xC0000101
#define PERCPU_CURRENT SK_PERCPU_CURRENT /* offsetof(struct percpu, current) */

extern struct percpu smp_cpus[SMP_MAX_CPUS];
extern int smp_ncpus; /* CPUs up (1 until smp_bringup starts others) */

static inline struct percpu *this_cpu(void)
{
	struct percpu *p;
	__asm__ volatile("mov %%gs:0, %0" : "=r"(p));
	return p;
}

/* The boot CPU's record, GS base on it (sched_init). */
void smp_init_boot_cpu(void);
/* Start every enabled processor the MADT lists (once; later calls return at once),
 * then turn the big kernel lock on if any came up. Interrupts off. Returns the
 * number of CPUs up, the boot CPU included. */
int smp_bringup(void);
/* After changing or removing a present mapping (and invlpg here): every other CPU
 * flushes its TLB before this returns. Interrupts off (lock held). Reached through
 * sk_smp_on (include/skiff/sync.h): nothing to do, and not linked, with one CPU. */
void smp_tlb_shootdown(void);
static inline void smp_tlb_flush_others(void)
{
	const struct sk_smp_ops *smp = __atomic_load_n(&sk_smp_on, __ATOMIC_RELAXED);
	if (smp)
		smp->tlb_shootdown();
}
/* Spinning for the lock: do a shoot-down another CPU asked for. */
void smp_tlb_poll(void);
/* Wake an idle CPU (IPI) so it looks at the run queue. */
void smp_kick(struct percpu *c);

/* The scheduler's loop on every CPU (sched.c): run ready threads, else hlt. */
void sched_idle_loop(void) __attribute__((noreturn));

#endif
