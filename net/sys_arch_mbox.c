/* lwIP mailboxes (sys_mbox_*): bounded FIFOs of pointers. Protected by
 * interrupts off, so trypost_fromisr may run in an interrupt handler. */
#include <stdlib.h>

#include "lwip/sys.h"
#include "sys_arch_time.h"

#define MBOX_DEFAULT_SIZE 64

struct sys_mbox {
	unsigned size;            /* slots in msgs[] */
	unsigned head, count;     /* next to fetch; messages queued (irq off) */
	struct sk_waitq not_empty; /* fetchers (irq off) */
	struct sk_waitq not_full;  /* blocking posters (irq off) */
	void *msgs[];
};

err_t sys_mbox_new(sys_mbox_t *mbox, int size)
{
	unsigned n = size > 0 ? (unsigned)size : MBOX_DEFAULT_SIZE;
	struct sys_mbox *mb = calloc(1, sizeof(*mb) + n * sizeof(void *));

	*mbox = mb;
	if (!mb)
		return ERR_MEM;
	mb->size = n;
	return ERR_OK;
}

/* lwIP frees a mailbox only once it is empty and nobody waits on it. */
void sys_mbox_free(sys_mbox_t *mbox)
{
	free(*mbox);
}

/* Queue msg; interrupts must be off and a slot free. */
static void put(struct sys_mbox *mb, void *msg)
{
	mb->msgs[(mb->head + mb->count) % mb->size] = msg;
	mb->count++;
	waitq_wake_one(&mb->not_empty);
}

void sys_mbox_post(sys_mbox_t *mbox, void *msg)
{
	struct sys_mbox *mb = *mbox;
	unsigned long flags = irq_save();

	while (mb->count == mb->size)
		waitq_wait(&mb->not_full, 0);
	put(mb, msg);
	irq_restore(flags);
}

err_t sys_mbox_trypost(sys_mbox_t *mbox, void *msg)
{
	struct sys_mbox *mb = *mbox;
	unsigned long flags = irq_save();
	err_t err = ERR_MEM;

	if (mb->count < mb->size) {
		put(mb, msg);
		err = ERR_OK;
	}
	irq_restore(flags);
	return err;
}

err_t sys_mbox_trypost_fromisr(sys_mbox_t *mbox, void *msg)
{
	return sys_mbox_trypost(mbox, msg);
}

/* Take the oldest message; interrupts must be off and one queued. */
static void *take(struct sys_mbox *mb)
{
	void *msg = mb->msgs[mb->head];

	mb->head = (mb->head + 1) % mb->size;
	mb->count--;
	waitq_wake_one(&mb->not_full);
	return msg;
}

/* Wait up to timeout ms (0 = forever). Returns the ms waited, or SYS_ARCH_TIMEOUT. */
u32_t sys_arch_mbox_fetch(sys_mbox_t *mbox, void **msg, u32_t timeout)
{
	struct sys_mbox *mb = *mbox;
	uint64_t start = sys_arch_now_ns();
	uint64_t deadline = sys_arch_deadline(start, timeout);
	unsigned long flags = irq_save();

	while (mb->count == 0) {
		if (waitq_wait(&mb->not_empty, deadline) < 0 && mb->count == 0) {
			irq_restore(flags);
			return SYS_ARCH_TIMEOUT;
		}
	}
	void *m = take(mb);
	irq_restore(flags);
	if (msg)
		*msg = m;
	return sys_arch_elapsed_ms(start);
}

u32_t sys_arch_mbox_tryfetch(sys_mbox_t *mbox, void **msg)
{
	struct sys_mbox *mb = *mbox;
	unsigned long flags = irq_save();

	if (mb->count == 0) {
		irq_restore(flags);
		return SYS_MBOX_EMPTY;
	}
	void *m = take(mb);
	irq_restore(flags);
	if (msg)
		*msg = m;
	return 0;
}
