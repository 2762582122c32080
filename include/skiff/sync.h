/* Wait queues, mutexes, semaphores and condition variables on kernel threads. */
#ifndef SKIFF_SYNC_H
#define SKIFF_SYNC_H

#include <stdint.h>

struct sk_thread;

/* FIFO of blocked threads. Protected by irq_save (interrupts off, and the lock). */
struct sk_waitq {
	struct sk_thread *head, *tail;
};

struct smp_rq_ops;

/* The big kernel lock (kernel/smp_lock.c), TLB shoot-down (kernel/smp_ipi.c) and run
 * queues across CPUs (kernel/sched_rq_smp.c), reached only through sk_smp_on: NULL
 * with one CPU, set once (release) when a second CPU starts running threads. Only the bring-up refers to sk_smp_ops, so an image that
 * never starts a second CPU links none of it. The lock is taken and dropped only
 * through irq_save / irq_restore, interrupt entry/exit and the idle loop. */
struct sk_smp_ops {
	void (*lock_save)(unsigned long flags); /* take the lock when flags had interrupts on */
	void (*unlock)(void);
	void (*lock)(void);
	void (*tlb_shootdown)(void); /* every other CPU flushes its TLB before this returns */
	void (*tlb_poll)(void);      /* do a shoot-down another CPU asked for */
	const struct smp_rq_ops *rq; /* run queues across CPUs (kernel/sched_rq_smp.c) */
};
extern const struct sk_smp_ops *sk_smp_on;
extern const struct sk_smp_ops sk_smp_ops;

/* Interrupts off/on around a critical section: every critical section in the
 * kernel, drivers, net and libc-shim goes through here.
 * One CPU: interrupts off is the lock. More than one (sk_smp_on): the outermost
 * section (the one that found interrupts on) also takes the big kernel lock, so
 * the rule is "a CPU in kernel code with interrupts off holds the lock"; a context
 * switch hands the lock to the next thread with interrupts still off, and the
 * outermost irq_restore drops it. Code with interrupts on (application code, a
 * thread between critical sections) runs on all CPUs in parallel.
 * Memory ordering: the asm statements are compiler barriers ("memory"); the lock
 * is taken with acquire and dropped with release ordering (x86 is TSO besides),
 * so everything written in one section is seen by the next, on any CPU. */
/* With SMP: sk_smp_on->lock_save(flags) and ->unlock() (kernel/smp_lock.c), called
 * from irq_save / irq_restore through thunks that keep every register
 * (kernel/smp_lock_thunk.S), so a one-CPU image pays a compare and a branch, and no
 * registers, per call. sk_smp_on is tested after cli: it cannot be turned on (by a
 * thread this one is switched out for) between the test and the lock. */
void sk_smp_lock_save(unsigned long flags);
void sk_smp_unlock(void);
void sk_smp_lock_save_thunk(void); /* not to be called from C */
void sk_smp_unlock_thunk(void);

static inline unsigned long irq_save(void)
{
	unsigned long f;
	__asm__ volatile("pushfq\n\tcli\n\t"
			 "cmpq $0, sk_smp_on(%%rip)\n\tje 1f\n\t"
			 "call sk_smp_lock_save_thunk\n"
			 "1:\tpopq %0"
			 : "=r"(f) : : "memory", "cc");
	return f;
}

static inline void irq_restore(unsigned long flags)
{
	if (flags & (1UL << 9)) /* RFLAGS.IF was set: the outermost section ends */
		__asm__ volatile("cmpq $0, sk_smp_on(%%rip)\n\tje 1f\n\t"
				 "call sk_smp_unlock_thunk\n"
				 "1:\tsti"
				 : : : "memory", "cc");
}

/* Sleep on q until woken or until deadline (monotonic ns; 0 = none).
 * Returns 0 when woken, -1 on timeout. May be called with interrupts off
 * (check the condition under irq_save, then wait: no wakeup is lost);
 * interrupts are on while blocked and restored on return. */
int waitq_wait(struct sk_waitq *q, uint64_t deadline_ns);
void waitq_wake_one(struct sk_waitq *q);
void waitq_wake_all(struct sk_waitq *q);

struct sk_mutex {
	struct sk_thread *owner; /* NULL when free */
	unsigned depth;          /* recursion depth when recursive */
	int recursive;
	struct sk_waitq waiters;
};
#define SK_MUTEX_INIT { 0, 0, 0, { 0, 0 } }
#define SK_MUTEX_RECURSIVE_INIT { 0, 0, 1, { 0, 0 } }
void sk_mutex_init(struct sk_mutex *m, int recursive);
void sk_mutex_lock(struct sk_mutex *m);
int sk_mutex_trylock(struct sk_mutex *m); /* 0 on success, -1 if busy */
/* Lock with a deadline (monotonic ns). 0 on success, -1 on timeout. */
int sk_mutex_lock_until(struct sk_mutex *m, uint64_t deadline_ns);
void sk_mutex_unlock(struct sk_mutex *m);

struct sk_sem {
	long count;
	struct sk_waitq waiters;
};
void sk_sem_init(struct sk_sem *s, long count);
void sk_sem_down(struct sk_sem *s);
/* 0 when taken, -1 on timeout (deadline in monotonic ns; 0 = wait forever). */
int sk_sem_down_until(struct sk_sem *s, uint64_t deadline_ns);
int sk_sem_trydown(struct sk_sem *s); /* 0 when taken, -1 if zero */
void sk_sem_up(struct sk_sem *s);

struct sk_cond {
	struct sk_waitq waiters;
};
void sk_cond_init(struct sk_cond *c);
/* Atomically release m and wait; m is held again on return.
 * Returns 0 when signalled, -1 on timeout (deadline 0 = none). */
int sk_cond_wait_until(struct sk_cond *c, struct sk_mutex *m, uint64_t deadline_ns);
void sk_cond_signal(struct sk_cond *c);
void sk_cond_broadcast(struct sk_cond *c);

#endif
