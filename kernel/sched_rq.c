/* Per-CPU run queues: where a ready thread is queued (an idle CPU it may run on first), and stealing by a CPU that goes idle. */
#include <stddef.h>
#include "sched_internal.h"
#include "smp.h"

/* Every function here runs with interrupts off (with SMP: under the big kernel lock). */

int rq_allowed(const struct sk_thread *t, const struct percpu *c)
{
	return !t->affinity || (t->affinity >> c->id & 1);
}

static void push(struct percpu *c, struct sk_thread *t)
{
	t->next = NULL;
	t->cpu = c->id;
	if (c->rq_tail)
		c->rq_tail->next = t;
	else
		c->rq_head = t;
	c->rq_tail = t;
}

/* Unlink t (prev is the thread before it in c's queue, or NULL). */
static void unlink(struct percpu *c, struct sk_thread *prev, struct sk_thread *t)
{
	if (prev)
		prev->next = t->next;
	else
		c->rq_head = t->next;
	if (c->rq_tail == t)
		c->rq_tail = prev;
}

/* The first thread in from's queue that c may run, taken off the queue. */
__attribute__((noinline)) static struct sk_thread *take_from(struct percpu *from, struct percpu *c)
{
	struct sk_thread *prev = NULL;
	for (struct sk_thread *t = from->rq_head; t; prev = t, t = t->next)
		if (rq_allowed(t, c)) {
			unlink(from, prev, t);
			return t;
		}
	return NULL;
}

static int idle_free(const struct percpu *o)
{
	return o->current == o->idle && !o->kicked && !o->rq_head;
}

void rq_requeue(struct sk_thread *t)
{
	push(this_cpu(), t);
}

/* The first CPU but c that t may run on (and that is idle and not yet kicked, if idle). */
__attribute__((noinline)) static struct percpu *other_cpu_for(const struct sk_thread *t, const struct percpu *c, int idle)
{
	for (int i = 0; i < smp_ncpus; i++) {
		struct percpu *o = &smp_cpus[i];
		if (o != c && rq_allowed(t, o) && (!idle || idle_free(o)))
			return o;
	}
	return NULL;
}

void rq_place(struct sk_thread *t)
{
	struct percpu *c = this_cpu();
	struct percpu *to = &smp_cpus[t->cpu]; /* back where it ran, if that CPU is idle */
	int c_idle = c->current == c->idle;
	if (smp_ncpus > 1 && (to == c || !idle_free(to) || !rq_allowed(t, to))) {
		to = c_idle && rq_allowed(t, c) ? c : other_cpu_for(t, c, 1); /* an idle CPU */
		if (!to) /* none: this CPU (current gets a timeslice), or one of its mask (preempt) */
			to = rq_allowed(t, c) ? c : other_cpu_for(t, c, 0);
	}
	push(to, t);
	if (to != c)
		smp_kick(to); /* an IPI: it looks at its queue */
	else if (c_idle)
		c->need_resched = 1;
	else
		sched_timer_rearm(); /* others are waiting: current gets a timeslice */
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
	t = NULL;
	for (int i = 0; !t && i < smp_ncpus; i++) /* its own queue, then steal from the next CPU on */
		t = take_from(&smp_cpus[(c->id + i) % smp_ncpus], c);
	return t;
}

int rq_ready_for(struct percpu *c)
{
	for (int i = 0; i < smp_ncpus; i++)
		for (struct sk_thread *t = smp_cpus[i].rq_head; t; t = t->next)
			if (rq_allowed(t, c))
				return 1;
	return 0;
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
		unlink(q, prev, t);
		rq_place(t);
	}
}
