/* Readiness changes of files that poll() cannot hand to a device wait (pipes, epoll sets): a counter pollers sleep on. */
#include <stdint.h>

#include "fd.h"
#include "shim.h"

static uint64_t seq;            /* bumped on every change (interrupts off) */
static struct sk_waitq waiters; /* pollers sleeping until seq moves (interrupts off) */

uint64_t fd_ready_seq(void)
{
	return __atomic_load_n(&seq, __ATOMIC_ACQUIRE);
}

void fd_ready_changed(void)
{
	unsigned long flags = irq_save();

	seq++;
	waitq_wake_all(&waiters);
	irq_restore(flags);
}

int fd_ready_wait(uint64_t seen, uint64_t deadline_ns)
{
	unsigned long flags = irq_save();
	int r = 0;

	if (seq == seen)
		r = waitq_wait(&waiters, deadline_ns);
	irq_restore(flags);
	return r;
}
