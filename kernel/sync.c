/* Mutexes, semaphores and condition variables built on wait queues (one vCPU: irq off is the lock). */
#include <skiff/sync.h>
#include "sched_internal.h"

void sk_mutex_init(struct sk_mutex *m, int recursive)
{
	m->owner = NULL;
	m->depth = 0;
	m->recursive = recursive;
	m->waiters.head = m->waiters.tail = NULL;
}

int sk_mutex_lock_until(struct sk_mutex *m, uint64_t deadline_ns)
{
	struct sk_thread *self = sched_current();
	unsigned long f = irq_save();
	if (m->owner == self && m->recursive) {
		m->depth++;
		irq_restore(f);
		return 0;
	}
	while (m->owner) {
		if (waitq_wait(&m->waiters, deadline_ns) < 0 && m->owner) {
			irq_restore(f);
			return -1;
		}
	}
	m->owner = self;
	m->depth = 1;
	irq_restore(f);
	return 0;
}

void sk_mutex_lock(struct sk_mutex *m)
{
	sk_mutex_lock_until(m, 0);
}

int sk_mutex_trylock(struct sk_mutex *m)
{
	struct sk_thread *self = sched_current();
	unsigned long f = irq_save();
	int r = -1;
	if (!m->owner) {
		m->owner = self;
		m->depth = 1;
		r = 0;
	} else if (m->owner == self && m->recursive) {
		m->depth++;
		r = 0;
	}
	irq_restore(f);
	return r;
}

void sk_mutex_unlock(struct sk_mutex *m)
{
	unsigned long f = irq_save();
	if (m->owner == sched_current() && --m->depth == 0) {
		m->owner = NULL;
		waitq_wake_one(&m->waiters);
	}
	irq_restore(f);
}

void sk_sem_init(struct sk_sem *s, long count)
{
	s->count = count;
	s->waiters.head = s->waiters.tail = NULL;
}

int sk_sem_down_until(struct sk_sem *s, uint64_t deadline_ns)
{
	unsigned long f = irq_save();
	while (s->count <= 0) {
		if (waitq_wait(&s->waiters, deadline_ns) < 0 && s->count <= 0) {
			irq_restore(f);
			return -1;
		}
	}
	s->count--;
	irq_restore(f);
	return 0;
}

void sk_sem_down(struct sk_sem *s)
{
	sk_sem_down_until(s, 0);
}

int sk_sem_trydown(struct sk_sem *s)
{
	unsigned long f = irq_save();
	int r = -1;
	if (s->count > 0) {
		s->count--;
		r = 0;
	}
	irq_restore(f);
	return r;
}

void sk_sem_up(struct sk_sem *s)
{
	unsigned long f = irq_save();
	s->count++;
	waitq_wake_one(&s->waiters);
	irq_restore(f);
}

void sk_cond_init(struct sk_cond *c)
{
	c->waiters.head = c->waiters.tail = NULL;
}

int sk_cond_wait_until(struct sk_cond *c, struct sk_mutex *m, uint64_t deadline_ns)
{
	unsigned long f = irq_save();
	unsigned depth = m->depth;
	m->depth = 0;
	m->owner = NULL; /* release and start waiting with no gap: irq stays off */
	waitq_wake_one(&m->waiters);
	int r = waitq_wait(&c->waiters, deadline_ns);
	irq_restore(f);
	sk_mutex_lock(m);
	m->depth = depth;
	return r;
}

void sk_cond_signal(struct sk_cond *c)
{
	waitq_wake_one(&c->waiters);
}

void sk_cond_broadcast(struct sk_cond *c)
{
	waitq_wake_all(&c->waiters);
}
