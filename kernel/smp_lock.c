/* The big kernel lock: a test-and-test-and-set spinlock taken by irq_save's outermost section and interrupt entry. */
#include <skiff/sync.h>
#include "cpu.h"
#include "smp.h"

int sk_smp_on;
static int bkl; /* 1 while some CPU holds it */

/* Interrupts are off here. While spinning, honour TLB shoot-downs: the CPU that
 * holds the lock may be waiting for ours (smp_tlb_shootdown). */
void sk_bkl_lock(void)
{
	while (__atomic_exchange_n(&bkl, 1, __ATOMIC_ACQUIRE)) {
		while (__atomic_load_n(&bkl, __ATOMIC_RELAXED)) {
			smp_tlb_poll();
			pause();
		}
	}
}

void sk_bkl_save(unsigned long flags)
{
	if (flags & RFLAGS_IF)
		sk_bkl_lock();
}

void sk_bkl_unlock(void)
{
	__atomic_store_n(&bkl, 0, __ATOMIC_RELEASE);
}
