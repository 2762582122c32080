/* Threads and the scheduler: round-robin run queue, sleeps on the LAPIC one-shot timer, idle hlt. */
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
#include "trap.h"

#define DEFAULT_STACK (64 * 1024)
#define MAIN_STACK (8 * 1024 * 1024) /* like Linux's default: pages appear as it grows */
#define STACK_COMMIT (16 * 1024)     /* mapped at creation; the rest on first touch */
#define TIMESLICE_NS 10000000ULL

void sched_switch(uint64_t *save_rsp, uint64_t load_rsp);

static struct sk_thread idle_thread;
static struct sk_thread *current = &idle_thread;
static struct sk_thread *rq_head, *rq_tail;   /* ready threads, FIFO */
static struct sk_thread *sleepers;            /* sorted by deadline */
static struct sk_thread *zombies;             /* dead, stacks not yet freed */
static struct sk_thread *all_threads;
static uint64_t next_stack_va = STACKS_BASE;
static uint64_t slice_end;                    /* when current's timeslice ends */
static uint64_t armed_deadline;               /* what the LAPIC timer is set for */
static int need_resched;
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

unsigned long irq_save(void)
{
	unsigned long f = read_rflags();
	cli();
	return f;
}

void irq_restore(unsigned long flags)
{
	if (flags & RFLAGS_IF)
		sti();
}

static void rq_push(struct sk_thread *t)
{
	t->next = NULL;
	if (rq_tail)
		rq_tail->next = t;
	else
		rq_head = t;
	rq_tail = t;
}

static struct sk_thread *rq_pop(void)
{
	struct sk_thread *t = rq_head;
	if (t) {
		rq_head = t->next;
		if (!rq_head)
			rq_tail = NULL;
	}
	return t;
}

static void sleep_insert(struct sk_thread *t, uint64_t deadline)
{
	t->deadline = deadline;
	struct sk_thread **p = &sleepers;
	while (*p && (*p)->deadline <= deadline)
		p = &(*p)->sleep_next;
	t->sleep_next = *p;
	*p = t;
}

static void sleep_remove(struct sk_thread *t)
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
static void timer_rearm(void)
{
	uint64_t want = sleepers ? sleepers->deadline : 0;
	if (rq_head && current != &idle_thread) {
		if (!slice_end)
			slice_end = clock_monotonic_ns() + TIMESLICE_NS;
		if (!want || slice_end < want)
			want = slice_end;
	}
	if (want == armed_deadline)
		return;
	armed_deadline = want;
	if (!want) {
		lapic_timer_oneshot(0);
		return;
	}
	uint64_t now = clock_monotonic_ns();
	lapic_timer_oneshot(clock_ns_to_lapic(want > now ? want - now : 1));
}

static void make_ready(struct sk_thread *t)
{
	if (t->state != T_BLOCKED)
		return;
	t->state = T_READY;
	rq_push(t);
	if (current == &idle_thread)
		need_resched = 1;
	else
		timer_rearm(); /* others are waiting: current gets a timeslice */
}

static void free_stack(uint64_t lo, uint64_t hi)
{
	for (uint64_t va = lo; va < hi; va += PAGE_SIZE) {
		uint64_t pa = mmu_unmap(va);
		if (pa)
			mm_page_free((void *)pa);
	}
}

static void reap_zombies(void)
{
	while (zombies) {
		struct sk_thread *z = zombies;
		zombies = z->next;
		free_stack(z->stack_lo, z->stack_hi); /* z lives on its stack: read first */
	}
}

/* Pick the next thread and switch to it. Interrupts off. */
static void schedule(void)
{
	struct sk_thread *prev = current;
	struct sk_thread *next = rq_pop();
	need_resched = 0;
	if (!next) {
		if (prev->state == T_RUNNING)
			return;
		next = &idle_thread;
	}
	if (prev->state == T_RUNNING && prev != &idle_thread) {
		prev->state = T_READY;
		rq_push(prev);
	}
	next->state = T_RUNNING;
	if (next == prev)
		return;
	current = next;
	slice_end = 0; /* starts when another thread is waiting (timer_rearm) */
	timer_rearm();
	if (sched_reent_slot) {
		static void *default_reent;
		if (!default_reent)
			default_reent = *sched_reent_slot;
		*sched_reent_slot = next->reent ? next->reent : default_reent;
	}
	if (next->fs_base != prev->fs_base)
		tls_set_base(next->fs_base); /* an image without thread-locals never gets here */
	__asm__ volatile("fxsave64 %0" : "=m"(prev->fpu));
	__asm__ volatile("fxrstor64 %0" : : "m"(next->fpu));
	sched_switch(&prev->rsp, next->rsp);
	reap_zombies();
}

static void block_current(void)
{
	current->state = T_BLOCKED;
	schedule();
}

static void timer_irq(void *arg)
{
	(void)arg;
	uint64_t now = clock_monotonic_ns();
	armed_deadline = 0;
	while (sleepers && sleepers->deadline <= now) {
		struct sk_thread *t = sleepers;
		sleepers = t->sleep_next;
		t->deadline = 0;
		if (t->waitq) { /* a wait with a timeout: leave the queue */
			for (struct sk_thread **p = &t->waitq->head; *p; p = &(*p)->next)
				if (*p == t) {
					*p = t->next;
					break;
				}
			if (t->waitq->tail == t) {
				struct sk_thread *last = t->waitq->head;
				while (last && last->next)
					last = last->next;
				t->waitq->tail = last;
			}
			t->waitq = NULL;
			t->timed_out = 1;
		}
		make_ready(t);
	}
	if (rq_head && current != &idle_thread && slice_end && now >= slice_end)
		need_resched = 1;
	timer_rearm();
}

void sched_irq_exit(void)
{
	if (need_resched)
		schedule();
}

int waitq_wait(struct sk_waitq *q, uint64_t deadline_ns)
{
	unsigned long f = irq_save();
	struct sk_thread *t = current;
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

void sched_sleep_ns(uint64_t ns)
{
	unsigned long f = irq_save();
	sleep_insert(current, clock_monotonic_ns() + (ns ? ns : 1));
	current->waitq = NULL;
	block_current();
	irq_restore(f);
}

void sched_relinquish(void)
{
	unsigned long f = irq_save();
	if (rq_head)
		schedule();
	irq_restore(f);
}

struct sk_thread *sched_current(void)
{
	return current;
}

const char *sched_current_name(void)
{
	return current->name;
}

void *sched_get_user(struct sk_thread *t) { return t->user; }
void sched_set_user(struct sk_thread *t, void *p) { t->user = p; }

void sched_set_reent(struct sk_thread *t, void *reent)
{
	t->reent = reent;
	if (t == current && sched_reent_slot && reent)
		*sched_reent_slot = reent;
}

/* The live thread whose stack range (guard excluded) holds addr, or NULL. */
static struct sk_thread *stack_owner(uint64_t addr)
{
	for (struct sk_thread *t = all_threads; t; t = t->all_next)
		if (addr >= t->stack_lo && addr < t->stack_hi)
			return t;
	return NULL;
}

int sched_guard_owner(uint64_t addr, const char **owner)
{
	if (addr < STACKS_BASE || addr >= STACKS_LIMIT || mmu_is_mapped(addr) || stack_owner(addr))
		return 0;
	*owner = "unknown (freed stack)";
	for (struct sk_thread *t = all_threads; t; t = t->all_next)
		if (addr < t->stack_lo && addr >= t->stack_lo - PAGE_SIZE)
			*owner = t->name;
	return 1;
}

int sched_stack_fault(uint64_t addr, const char **owner)
{
	struct sk_thread *t = stack_owner(addr);
	if (!t || mmu_is_mapped(addr))
		return 0;
	*owner = t->name;
	void *p = mm_fault_page();
	if (!p)
		return -1;
	mmu_map(addr & ~(PAGE_SIZE - 1), (uint64_t)p, PTE_W | mmu_nx()); /* tables exist: cannot fail */
	return 1;
}

static void thread_start(void)
{
	sti();
	current->fn(current->arg);
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
	uint64_t lo = next_stack_va + PAGE_SIZE; /* the page below lo stays unmapped: the guard */
	uint64_t hi = lo + pages * PAGE_SIZE;
	if (hi > STACKS_LIMIT || mmu_prepare(lo, hi)) {
		irq_restore(f);
		return NULL;
	}
	next_stack_va = hi;
	/* Only the top is mapped now; sched_stack_fault maps the rest as the stack grows. */
	uint64_t commit = hi - lo < commit_bytes ? lo : hi - commit_bytes;
	for (uint64_t va = commit; va < hi; va += PAGE_SIZE) {
		void *p = mm_page_alloc_raw();
		if (!p || mmu_map(va, (uint64_t)p, PTE_W | mmu_nx())) {
			if (p)
				mm_page_free(p);
			free_stack(lo, va);
			irq_restore(f);
			return NULL;
		}
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
	t->all_next = all_threads;
	all_threads = t;
	make_ready(t);
	irq_restore(f);
	return t;
}

void sched_exit(void)
{
	if (sched_thread_reaper)
		sched_thread_reaper(current);
	cli();
	struct sk_thread *t = current;
	for (struct sk_thread **p = &all_threads; *p; p = &(*p)->all_next)
		if (*p == t) {
			*p = t->all_next;
			break;
		}
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
	__asm__ volatile("fxsave64 %0" : "=m"(clean_fpu));
	irq_register(VEC_TIMER, timer_irq, NULL);
}

void sched_start(sk_thread_fn entry)
{
	if (!sched_create("main", entry, NULL, MAIN_STACK))
		exit_refuse("out of memory: no room for the main thread's stack");
	for (;;) {
		cli();
		reap_zombies();
		if (rq_head) {
			schedule();
			continue;
		}
		if (!sleepers && !sched_irq_sources && !armed_deadline)
			exit_panic_line("deadlock: every thread is blocked and nothing can wake one");
		__asm__ volatile("sti; hlt" ::: "memory");
	}
}
