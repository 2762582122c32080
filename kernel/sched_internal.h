/* Scheduler internals shared with traps, timers and boot. */
#ifndef SKIFF_KERNEL_SCHED_INTERNAL_H
#define SKIFF_KERNEL_SCHED_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <skiff/sched.h>
#include <skiff/sync.h>

struct sk_thread {
	uint64_t rsp;                 /* saved by sched_switch while not running */
	void *reent;                  /* at SK_THREAD_REENT (skiff/sched.h): newlib's, or NULL */
	uint8_t fpu[512] __attribute__((aligned(16))); /* fxsave area */
	enum { T_READY, T_RUNNING, T_BLOCKED, T_DEAD } state;
	char name[24];
	struct sk_thread *next;       /* run queue or wait queue link (irq off) */
	struct sk_waitq *waitq;       /* queue this thread is blocked on (irq off) */
	struct sk_thread *sleep_next; /* sleep list link, sorted by deadline (irq off) */
	uint64_t deadline;            /* wake-up time in monotonic ns, 0 = none */
	int timed_out;
	struct sk_thread *all_next;   /* list of live threads (irq off) */
	void *user;
	uint64_t stack_lo, stack_hi;  /* mapped stack; the guard page is just below */
	sk_thread_fn fn;
	void *arg;
	uint64_t fs_base;             /* thread pointer (TLS), 0 when the image has none */
	unsigned long affinity;       /* CPUs it may run on (bit n = CPU n), 0 = any (lock) */
	int cpu;                      /* the CPU it runs on, last ran on, or whose queue holds it */
};

/* An AP's idle thread record (its boot context becomes that thread). */
void sched_idle_thread_init(struct sk_thread *t);
/* Turn the boot context into the idle thread, start `main` running entry. */
void sched_init(void);
void sched_start(sk_thread_fn entry) __attribute__((noreturn));
/* After an interrupt handler: switch if a woken thread should run. */
void sched_irq_exit(void);
/* Name of the running thread (for fault reports). */
const char *sched_current_name(void);
/* Is addr a stack guard page? Then *owner names the thread. */
int sched_guard_owner(uint64_t addr, const char **owner);
/* A not-present fault at addr inside a live thread's stack: map a fresh page there.
 * 1 = mapped (retry the access), 0 = not a stack page, -1 = out of memory
 * (*owner names the thread). Called with interrupts off. */
int sched_stack_fault(uint64_t addr, const char **owner);
/* The scheduler's primitives for wait queues (sync.c); interrupts off. */
void block_current(void);                                   /* until made ready */
void make_ready(struct sk_thread *t);                       /* a blocked thread runs again */
void sleep_insert(struct sk_thread *t, uint64_t deadline);  /* wake t at deadline (ns) */
void sleep_remove(struct sk_thread *t);                     /* no timed wake-up after all */
/* sync.c: t's timed wait ran out: take it off its wait queue, mark it timed out. */
void waitq_leave(struct sk_thread *t);

/* sched_stack.c, interrupts off: a stack of `pages` pages (guard page below,
 * the top commit_bytes mapped) -> *lo, *hi; 0 or -1 (no address space or memory). */
int stack_alloc(size_t pages, uint64_t commit_bytes, uint64_t *lo, uint64_t *hi);
/* Unmap [lo, hi) and free its pages. */
void stack_free(uint64_t lo, uint64_t hi);
/* A thread's stack joins / leaves the live set that faults are checked against. */
void stack_track(struct sk_thread *t);
void stack_untrack(struct sk_thread *t);
/* Is t a live thread (tracked, not yet exited)? Interrupts off. */
int stack_tracked(struct sk_thread *t);

/* sched_rq.c, interrupts off: the per-CPU run queues (struct percpu's rq_head). */
struct percpu;
int rq_allowed(const struct sk_thread *t, const struct percpu *c); /* affinity */
void rq_push(struct percpu *c, struct sk_thread *t);                   /* at the tail of c's queue */
/* Unlink t from c's queue (prev is the thread before it, or NULL). */
void rq_unlink(struct percpu *c, struct sk_thread *prev, struct sk_thread *t);
/* A thread was queued on this CPU, c: reschedule if idle, else give current a timeslice. */
void rq_queued_here(struct percpu *c);
/* t became ready: queue it on an idle CPU it may run on (IPI) if any, else on this
 * CPU (current gets a timeslice), else on a CPU of its mask (IPI: preempt). */
void rq_place(struct sk_thread *t);
void rq_requeue(struct sk_thread *t);              /* preempted: back on this CPU's queue */
struct sk_thread *rq_take(struct percpu *c);       /* own queue first, else steal; or NULL */
int rq_ready_for(struct percpu *c);                /* is any queued thread allowed on c? */
void rq_reaffine(struct sk_thread *t);             /* t's mask changed: off a queue it left */
/* sched_rq_smp.c: what rq_place / rq_take / rq_ready_for do once a second CPU runs
 * (through sk_smp_ops.rq, so that one-CPU images link none of it). */
struct smp_rq_ops {
	void (*place)(struct sk_thread *t);
	struct sk_thread *(*take)(struct percpu *c); /* past its own head, and stealing */
	int (*ready_for)(struct percpu *c);
};
extern const struct smp_rq_ops smp_rq_ops;
/* Program this CPU's LAPIC timer: next sleeper, or end of current's timeslice. */
void sched_timer_rearm(void);

/* Number of device IRQ handlers that could wake a thread (deadlock check). */
extern int sched_irq_sources;

#endif
