/* Per-CPU run queues: queue a ready thread, take the next one; with a second CPU, placement and stealing are sched_rq_smp.c's. */
#include <stddef.h>
#include "sched_internal.h"
#include "smp.h"

/* Every function here runs with interrupts off (with SMP: under the big kernel lock).
 * One CPU (sk_smp_on NULL): every thread may run on CPU 0 (sched_set_affinity keeps
 * only CPUs that are up), so a thread queues on this CPU and the head runs next. */

int rq_allowed(const struct sk_thread *t, const struct percpu *c)
{
	return !t->affinity || (t->affinity >> c->id & 1);
}

void rq_push(struct percpu *c, struct sk_thread *t)
{
	t->next = NULL;
	t->cpu = c->id;
	if (c->rq_tail)
		c->rq_tail->next = t;
	else
		c->rq_head = t;
	c->rq_tail = t;
}

void rq_unlink(struct percpu *c, struct sk_thread *prev, struct sk_thread *t)
{
	if (prev)
		prev->next = t->next;
	else
		c->rq_head = t->next;
	if (c->rq_tail == t)
		c->rq_tail = prev;
}

void rq_queued_here(struct percpu *c)
{
	if (c->current == c->idle)
		c->need_resched = 1;
	else
		sched_timer_rearm(); /* others are waiting: current gets a timeslice */
}

void rq_requeue(struct sk_thread *t)
{
	rq_push(this_cpu(), t);
}

void rq_place(struct sk_thread *t)
{
	const struct sk_smp_ops *smp = __atomic_load_n(&sk_smp_on, __ATOMIC_RELAXED);
	if (smp) {
		smp->rq->place(t);
		return;
	}
	struct percpu *c = this_cpu();
	rq_push(c, t);
	rq_queued_here(c);
}

struct sk_thread *rq_take(struct percpu *c)
{
	struct sk_thread *t = c->rq_head;
	if (t && rq_allowed(t, c)) { /* the usual case, and always with one CPU */
		c->rq_head = t->next;
		if (!t->next)
			c->rq_tail = NULL;
		return t;
	}
	const struct sk_smp_ops *smp = __atomic_load_n(&sk_smp_on, __ATOMIC_RELAXED);
	return smp ? smp->rq->take(c) : NULL;
}

int rq_ready_for(struct percpu *c)
{
	const struct sk_smp_ops *smp = __atomic_load_n(&sk_smp_on, __ATOMIC_RELAXED);
	return smp ? smp->rq->ready_for(c) : c->rq_head != NULL;
}

void rq_reaffine(struct sk_thread *t)
{
	struct percpu *q = &smp_cpus[t->cpu];
	if (t->state != T_READY || rq_allowed(t, q))
		return;
	struct sk_thread *prev = NULL, *p = q->rq_head;
	while (p && p != t) {
		prev = p;
		p = p->next;
	}
	if (p) {
		rq_unlink(q, prev, t);
		rq_place(t);
	}
}
