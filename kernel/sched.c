/* Threads and the scheduler: round-robin on per-CPU run queues (sched_rq.c), sleeps on the LAPIC one-shot timers, idle hlt.
 * With more than one CPU every scheduler structure here is under the big kernel lock
 * (irq_save; smp.h); the per-CPU state (current thread, timeslice, timer) is in struct percpu. */
#include <stddef.h>
#include <skiff/console.h>
#include <skiff/mm.h>
#include "sched_internal.h"
#include "clock_internal.h"
#include <skiff/clock.h>
#include "cpu.h"
#include "exit.h"
#include "lapic.h"
#include "layout.h"
#include "mm_internal.h"
#include "mmu.h"
#include "sched_tls.h"
#include "smp.h"
#include "trap.h"

#define DEFAULT_STACK (64 * 1024)
#define MAIN_STACK (8 * 1024 * 1024) /* like Linux's default: pages appear as it grows */
#define STACK_COMMIT (16 * 1024)     /* mapped at creation; the rest on first touch */
#define TIMESLICE_NS 10000000ULL

void sched_switch(uint64_t *save_rsp, uint64_t load_rsp);

static struct sk_thread idle_thread;           /* the boot CPU's */
static struct sk_thread *sleepers;            /* sorted by deadline */
static struct sk_thread *zombies;             /* dead, stacks not yet freed */
static uint8_t clean_fpu[512] __attribute__((aligned(16)));
int sched_irq_sources;
void **sched_reent_slot;
void (*sched_thread_reaper)(struct sk_thread *t);

void irq_wake_source(int delta)
{
	unsigned long f = irq_save();
	sched_irq_sources += delta;
	irq_restore(f);
}

void sleep_insert(struct sk_thread *t, uint64_t deadline)
{
	t->deadline = deadline;
	struct sk_thread **p = &sleepers;
	while (*p && (*p)->deadline <= deadline)
		p = &(*p)->sleep_next;
	t->sleep_next = *p;
	*p = t;
}

void sleep_remove(struct sk_thread *t)
{
	if (!t->deadline)
		return;
	for (struct sk_thread **p = &sleepers; *p; p = &(*p)->sleep_next)
		if (*p == t) {
			*p = t->sleep_next;
			break;
		}
	t->deadline = 0;
}

/* Program the LAPIC for the earliest of: next sleeper, end of the timeslice. */
void sched_timer_rearm(void)
{
	struct percpu *c = this_cpu();
	uint64_t want = sleepers ? sleepers->deadline : 0;
	if (c->rq_head && c->current != c->idle) {
		if (!c->slice_end)
			c->slice_end = clock_monotonic_ns() + TIMESLICE_NS;
		if (!want || c->slice_end < want)
			want = c->slice_end;
	}
	if (want == c->armed_deadline)
		return;
	c->armed_deadline = want;
	if (!want) {
		lapic_timer_oneshot(0);
		return;
	}
	uint64_t now = clock_monotonic_ns();
	lapic_timer_oneshot(clock_ns_to_lapic(want > now ? want - now : 1));
}

void make_ready(struct sk_thread *t)
{
	if (t->state != T_BLOCKED)
		return;
	t->state = T_READY;
	rq_place(t);
}

static void reap_zombies(void)
{
	while (zombies) {
		struct sk_thread *z = zombies;
		zombies = z->next;
		stack_free(z->stack_lo, z->stack_hi); /* z lives on its stack: read first */
	}
}

/* Pick the next thread and switch to it. Interrupts off. */
static void schedule(void)
{
	struct percpu *c = this_cpu();
	struct sk_thread *prev = c->current;
	struct sk_thread *next = rq_take(c);
	c->need_resched = 0;
	c->kicked = 0;
	int stay = rq_allowed(prev, c);
	if (!next) {
		if (prev->state == T_RUNNING && stay) {
			/* Only threads pinned elsewhere wait: a fresh slice, not a timer storm. */
			c->slice_end = 0;
			sched_timer_rearm();
			return;
		}
		next = c->idle;
	}
	if (prev->state == T_RUNNING && prev != c->idle) {
		prev->state = T_READY;
		if (stay)
			rq_requeue(prev);
		else
			rq_place(prev); /* its affinity changed: a CPU of its own takes it */
	}
	next->state = T_RUNNING;
	next->cpu = c->id;
	if (next == prev)
		return;
	c->current = next;
	c->slice_end = 0; /* starts when another thread is waiting (timer_rearm) */
	sched_timer_rearm();
	if (next->fs_base != prev->fs_base)
		tls_set_base(next->fs_base); /* an image without thread-locals never gets here */
	__asm__ volatile("fxsave64 %0" : "=m"(prev->fpu));
	__asm__ volatile("fxrstor64 %0" : : "m"(next->fpu));
	sched_switch(&prev->rsp, next->rsp);
	reap_zombies();
}

void block_current(void)
{
	this_cpu()->current->state = T_BLOCKED;
	schedule();
}

static void timer_irq(void *arg)
{
	(void)arg;
	struct percpu *c = this_cpu();
	uint64_t now = clock_monotonic_ns();
	c->armed_deadline = 0;
	while (sleepers && sleepers->deadline <= now) {
		struct sk_thread *t = sleepers;
		sleepers = t->sleep_next;
		t->deadline = 0;
		if (t->waitq) /* a wait with a timeout: leave the queue */
			waitq_leave(t);
		make_ready(t);
	}
	if (c->rq_head && c->current != c->idle && c->slice_end && now >= c->slice_end)
		c->need_resched = 1;
	sched_timer_rearm();
}

void sched_irq_exit(void)
{
	if (this_cpu()->need_resched)
		schedule();
}

void sched_sleep_ns(uint64_t ns)
{
	unsigned long f = irq_save();
	sleep_insert(this_cpu()->current, clock_monotonic_ns() + (ns ? ns : 1));
	this_cpu()->current->waitq = NULL;
	block_current();
	irq_restore(f);
}

void sched_relinquish(void)
{
	unsigned long f = irq_save();
	if (rq_ready_for(this_cpu()))
		schedule();
	irq_restore(f);
}

int sched_cpu_id(void)
{
	int id;
	__asm__ volatile("mov %%gs:%c1, %0" : "=r"(id) : "i"(__builtin_offsetof(struct percpu, id)));
	return id;
}

static unsigned long cpus_up_mask(void)
{
	return smp_ncpus >= (int)(8 * sizeof(unsigned long)) ? ~0UL : (1UL << smp_ncpus) - 1;
}

int sched_set_affinity(struct sk_thread *t, unsigned long mask)
{
	unsigned long f = irq_save();
	int ok = (!mask || (mask & cpus_up_mask())) && stack_tracked(t);
	if (ok) {
		t->affinity = mask & cpus_up_mask();
		struct percpu *c = this_cpu();
		if (t == c->current && !rq_allowed(t, c))
			schedule(); /* requeued and placed on a CPU of its mask */
		else
			rq_reaffine(t); /* a queued thread moves to a queue of its mask */
	}
	irq_restore(f);
	return ok ? 0 : -1;
}

unsigned long sched_get_affinity(struct sk_thread *t)
{
	unsigned long f = irq_save();
	unsigned long mask = stack_tracked(t) ? (t->affinity ? t->affinity : cpus_up_mask()) : 0;
	irq_restore(f);
	return mask;
}

struct sk_thread *sched_current(void)
{
	struct sk_thread *t; /* one load: a thread that migrates still reads its own record */
	__asm__ volatile("mov %%gs:%c1, %0" : "=r"(t) : "i"(PERCPU_CURRENT));
	return t;
}

_Static_assert(__builtin_offsetof(struct percpu, current) == SK_PERCPU_CURRENT, "skiff/sched.h");
_Static_assert(__builtin_offsetof(struct sk_thread, reent) == SK_THREAD_REENT, "skiff/sched.h");

const char *sched_current_name(void)
{
	return this_cpu()->current->name;
}

void *sched_get_user(struct sk_thread *t) { return t->user; }
void sched_set_user(struct sk_thread *t, void *p) { t->user = p; }

void sched_set_reent(struct sk_thread *t, void *reent)
{
	t->reent = reent;
}

static void thread_start(void)
{
	irq_restore(RFLAGS_IF); /* interrupts on; with SMP, drops the lock the switch handed over */
	struct sk_thread *self = sched_current(); /* interrupts on: one gs-relative load */
	self->fn(self->arg);
	sched_exit();
}

static void set_name(struct sk_thread *t, const char *name)
{
	size_t i = 0;
	for (; name && name[i] && i < sizeof(t->name) - 1; i++)
		t->name[i] = name[i];
	t->name[i] = '\0';
}

struct sk_thread *sched_create(const char *name, sk_thread_fn fn, void *arg, size_t stack_size)
{
	size_t pages = ((stack_size ? stack_size : DEFAULT_STACK) + PAGE_SIZE - 1) / PAGE_SIZE;
	if (pages < 2)
		pages = 2;
	/* The thread record and the TLS block sit at the top of the stack, over what was asked. */
	uint64_t tls_bytes = tls_area_bytes();
	size_t top_pages = (sizeof(struct sk_thread) + 64 + tls_bytes + PAGE_SIZE - 1) / PAGE_SIZE;
	if (tls_bytes)
		pages += top_pages;
	uint64_t commit_bytes = STACK_COMMIT + (tls_bytes ? top_pages * PAGE_SIZE : 0);
	unsigned long f = irq_save();
	uint64_t lo, hi;
	if (stack_alloc(pages, commit_bytes, &lo, &hi)) {
		irq_restore(f);
		return NULL;
	}
	/* The thread record sits at the top of its own stack. */
	struct sk_thread *t = (struct sk_thread *)((hi - sizeof(struct sk_thread)) & ~63UL);
	__builtin_memset(t, 0, sizeof(*t));
	set_name(t, name);
	t->fn = fn;
	t->arg = arg;
	t->stack_lo = lo;
	t->stack_hi = hi;
	__builtin_memcpy(t->fpu, clean_fpu, sizeof(clean_fpu));
	uint64_t stack_top = (uint64_t)t;
	if (tls_bytes)
		t->fs_base = tls_setup((uint64_t)t, &stack_top); /* its block just below the record */
	uint64_t *sp = (uint64_t *)(stack_top & ~15UL);
	*--sp = 0;                          /* fake return address of thread_start */
	*--sp = (uint64_t)thread_start;     /* sched_switch returns here */
	for (int i = 0; i < 6; i++)
		*--sp = 0;                  /* rbp rbx r12 r13 r14 r15 */
	*--sp = 0x2;                        /* rflags: interrupts off until thread_start */
	t->rsp = (uint64_t)sp;
	t->state = T_BLOCKED;
	stack_track(t);
	make_ready(t);
	irq_restore(f);
	return t;
}

void sched_exit(void)
{
	if (sched_thread_reaper)
		sched_thread_reaper(sched_current());
	(void)irq_save(); /* never restored: the thread ends here */
	struct sk_thread *t = this_cpu()->current;
	stack_untrack(t);
	t->state = T_DEAD;
	t->next = zombies;
	zombies = t;
	schedule();
	for (;;)
		__asm__ volatile("hlt");
}

void sched_init(void)
{
	set_name(&idle_thread, "idle");
	idle_thread.state = T_RUNNING;
	smp_init_boot_cpu();
	this_cpu()->current = this_cpu()->idle = &idle_thread;
	__asm__ volatile("fxsave64 %0" : "=m"(clean_fpu));
	irq_register(VEC_TIMER, timer_irq, NULL);
}

void sched_start(sk_thread_fn entry)
{
	if (!sched_create("main", entry, NULL, MAIN_STACK))
		exit_refuse("out of memory: no room for the main thread's stack");
	sched_idle_loop();
}

/* Some CPU runs a thread or has a timer armed: not a deadlock. Lock held. */
static int anything_can_run(void)
{
	if (sleepers || sched_irq_sources)
		return 1;
	for (int i = 0; i < smp_ncpus; i++) {
		struct percpu *o = &smp_cpus[i];
		if (o->current != o->idle || o->armed_deadline || o->rq_head)
			return 1;
	}
	return 0;
}

void sched_idle_thread_init(struct sk_thread *t)
{
	__builtin_memset(t, 0, sizeof(*t));
	set_name(t, "idle");
	t->state = T_RUNNING;
	__builtin_memcpy(t->fpu, clean_fpu, sizeof(clean_fpu));
}

void sched_idle_loop(void)
{
	for (;;) {
		(void)irq_save(); /* interrupts are on here: this takes the lock with SMP */
		reap_zombies();
		if (rq_ready_for(this_cpu())) {
			schedule();
			irq_restore(RFLAGS_IF);
			continue;
		}
		if (!anything_can_run())
			exit_panic_line("deadlock: every thread is blocked and nothing can wake one");
		const struct sk_smp_ops *smp = __atomic_load_n(&sk_smp_on, __ATOMIC_RELAXED);
		if (smp)
			smp->unlock(); /* a wake-up IPI after this is held until hlt (sti's shadow) */
		__asm__ volatile("sti; hlt" ::: "memory");
	}
}
