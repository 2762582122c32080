/* Run queues with more than one CPU: place a ready thread on an idle CPU it may run on (IPI), and steal when a CPU goes idle. */
#include <stddef.h>
#include "sched_internal.h"
#include "smp.h"

/* Reached only through sk_smp_ops.rq (sched_rq.c), so an image that never starts a
 * second CPU links none of this. Interrupts off, big kernel lock held. */

/* The first thread in from's queue that c may run, taken off the queue. */
__attribute__((noinline)) static struct sk_thread *take_from(struct percpu *from, struct percpu *c)
{
	struct sk_thread *prev = NULL;
	for (struct sk_thread *t = from->rq_head; t; prev = t, t = t->next)
		if (rq_allowed(t, c)) {
			rq_unlink(from, prev, t);
			return t;
		}
	return NULL;
}

static int idle_free(const struct percpu *o)
{
	return o->current == o->idle && !o->kicked && !o->rq_head;
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

static void place(struct sk_thread *t)
{
	struct percpu *c = this_cpu();
	struct percpu *to = &smp_cpus[t->cpu]; /* back where it ran, if that CPU is idle */
	if (to == c || !idle_free(to) || !rq_allowed(t, to)) {
		to = c->current == c->idle && rq_allowed(t, c) ? c : other_cpu_for(t, c, 1); /* an idle CPU */
		if (!to) /* none: this CPU (current gets a timeslice), or one of its mask (preempt) */
			to = rq_allowed(t, c) ? c : other_cpu_for(t, c, 0);
	}
	rq_push(to, t);
	if (to != c)
		smp_kick(to); /* an IPI: it looks at its queue */
	else
		rq_queued_here(c);
}

/* Its own queue past a head it may not run, then steal from the next CPU on. */
static struct sk_thread *take(struct percpu *c)
{
	struct sk_thread *t = NULL;
	for (int i = 0; !t && i < smp_ncpus; i++)
		t = take_from(&smp_cpus[(c->id + i) % smp_ncpus], c);
	return t;
}

static int ready_for(struct percpu *c)
{
	for (int i = 0; i < smp_ncpus; i++)
		for (struct sk_thread *t = smp_cpus[i].rq_head; t; t = t->next)
			if (rq_allowed(t, c))
				return 1;
	return 0;
}

const struct smp_rq_ops smp_rq_ops = {
	.place = place,
	.take = take,
	.ready_for = ready_for,
};
