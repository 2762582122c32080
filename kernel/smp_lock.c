/* The big kernel lock: a test-and-test-and-set spinlock taken by irq_save's outermost section and interrupt entry. */
#include <skiff/sync.h>
#include "cpu.h"
#include "sched_internal.h"
#include "smp.h"

const struct sk_smp_ops *sk_smp_on;
static int bkl; /* 1 while some CPU holds it */

/* Interrupts are off here. While spinning, honour TLB shoot-downs: the CPU that
 * holds the lock may be waiting for ours (smp_tlb_shootdown). */
static void bkl_lock(void)
{
	while (__atomic_exchange_n(&bkl, 1, __ATOMIC_ACQUIRE)) {
		while (__atomic_load_n(&bkl, __ATOMIC_RELAXED)) {
			smp_tlb_poll();
			pause();
		}
	}
}

static void bkl_save(unsigned long flags)
{
	if (flags & RFLAGS_IF)
		bkl_lock();
}

static void bkl_unlock(void)
{
	__atomic_store_n(&bkl, 0, __ATOMIC_RELEASE);
}

void sk_smp_lock_save(unsigned long flags)
{
	sk_smp_on->lock_save(flags);
}

void sk_smp_unlock(void)
{
	sk_smp_on->unlock();
}

const struct sk_smp_ops sk_smp_ops = {
	.lock_save = bkl_save,
	.unlock = bkl_unlock,
	.lock = bkl_lock,
	.tlb_shootdown = smp_tlb_shootdown,
	.tlb_poll = smp_tlb_poll,
	.rq = &smp_rq_ops,
};
