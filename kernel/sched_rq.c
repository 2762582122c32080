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
static struct sk_thread *take_from(struct percpu *from, struct percpu *c)
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

void rq_place(struct sk_thread *t)
{
	struct percpu *c = this_cpu();
	struct percpu *last = &smp_cpus[t->cpu];
	if (last != c && idle_free(last) && rq_allowed(t, last)) { /* back where it ran, if idle */
		push(last, t);
		smp_kick(last);
		return;
	}
	if (c->current == c->idle && rq_allowed(t, c)) {
		push(c, t);
		c->need_resched = 1;
		return;
	}
	for (int i = 0; i < smp_ncpus; i++) { /* an idle CPU takes it */
		struct percpu *o = &smp_cpus[i];
		if (o != c && idle_free(o) && rq_allowed(t, o)) {
			push(o, t);
			smp_kick(o);
			return;
		}
	}
	if (rq_allowed(t, c)) {
		push(c, t);
		sched_timer_rearm(); /* others are waiting: current gets a timeslice */
		return;
	}
	for (int i = 0; i < smp_ncpus; i++) /* pinned elsewhere: preempt a CPU of its own */
		if (rq_allowed(t, &smp_cpus[i])) {
			push(&smp_cpus[i], t);
			smp_kick(&smp_cpus[i]);
			return;
		}
}

struct sk_thread *rq_take(struct percpu *c)
{
	struct sk_thread *t = take_from(c, c);
	for (int i = 1; !t && i < smp_ncpus; i++) /* steal, from the next CPU on */
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
