/* Wait queues, and the mutexes, semaphores and condition variables built on them (one vCPU: irq off is the lock). */
#include <skiff/sync.h>
#include "sched_internal.h"

/* ---- wait queues: FIFO of blocked threads ---- */

int waitq_wait(struct sk_waitq *q, uint64_t deadline_ns)
{
	unsigned long f = irq_save();
	struct sk_thread *t = sched_current();
	t->next = NULL;
	if (q->tail)
		q->tail->next = t;
	else
		q->head = t;
	q->tail = t;
	t->waitq = q;
	t->timed_out = 0;
	if (deadline_ns)
		sleep_insert(t, deadline_ns);
	block_current();
	int r = t->timed_out ? -1 : 0;
	irq_restore(f);
	return r;
}

static int wake_one_locked(struct sk_waitq *q)
{
	struct sk_thread *t = q->head;
	if (!t)
		return 0;
	q->head = t->next;
	if (!q->head)
		q->tail = NULL;
	t->waitq = NULL;
	sleep_remove(t);
	make_ready(t);
	return 1;
}

void waitq_wake_one(struct sk_waitq *q)
{
	unsigned long f = irq_save();
	wake_one_locked(q);
	irq_restore(f);
}

void waitq_wake_all(struct sk_waitq *q)
{
	unsigned long f = irq_save();
	while (wake_one_locked(q))
		;
	irq_restore(f);
}

void waitq_leave(struct sk_thread *t)
{
	struct sk_waitq *q = t->waitq;
	for (struct sk_thread **p = &q->head; *p; p = &(*p)->next)
		if (*p == t) {
			*p = t->next;
			break;
		}
	if (q->tail == t) {
		struct sk_thread *last = q->head;
		while (last && last->next)
			last = last->next;
		q->tail = last;
	}
	t->waitq = NULL;
	t->timed_out = 1;
}

/* ---- mutexes ---- */

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
