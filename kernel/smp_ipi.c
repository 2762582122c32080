/* Inter-processor interrupts: wake an idle CPU, and TLB shoot-down (IPI, then wait for every CPU's flush). */
#include <skiff/sync.h>
#include "cpu.h"
#include "lapic.h"
#include "smp.h"
#include "trap.h"

#define ICR_FIXED 0x4000 /* fixed delivery, level assert; | vector */

static uint64_t tlb_gen; /* atomic: shoot-downs asked for so far */

void smp_kick(struct percpu *c)
{
	c->kicked = 1;
	c->need_resched = 1;
	lapic_send_ipi(c->apic_id, ICR_FIXED | VEC_WAKE);
}

/* Flush everything but global pages (the kernel maps none global). */
void smp_tlb_poll(void)
{
	struct percpu *me = this_cpu();
	uint64_t gen = __atomic_load_n(&tlb_gen, __ATOMIC_ACQUIRE);
	if (__atomic_load_n(&me->tlb_done, __ATOMIC_RELAXED) >= gen)
		return;
	write_cr3(read_cr3());
	__atomic_store_n(&me->tlb_done, gen, __ATOMIC_RELEASE); /* after the flush */
}

void smp_tlb_shootdown(void)
{
	struct percpu *me = this_cpu();
	uint64_t gen = __atomic_add_fetch(&tlb_gen, 1, __ATOMIC_ACQ_REL);
	__atomic_store_n(&me->tlb_done, gen, __ATOMIC_RELAXED); /* the caller did invlpg */
	for (int i = 0; i < smp_ncpus; i++)
		if (&smp_cpus[i] != me)
			lapic_send_ipi(smp_cpus[i].apic_id, ICR_FIXED | VEC_TLB);
	for (int i = 0; i < smp_ncpus; i++)
		while (__atomic_load_n(&smp_cpus[i].tlb_done, __ATOMIC_ACQUIRE) < gen)
			pause();
}
