/* Threads: create, exit, sleep, yield. Preemptive round-robin over every CPU that came up. */
#ifndef SKIFF_SCHED_H
#define SKIFF_SCHED_H

#include <stddef.h>
#include <stdint.h>

struct sk_thread;
typedef void (*sk_thread_fn)(void *arg);

/* Start a thread running fn(arg) on a fresh stack of stack_size bytes
 * (0 = default 64 KiB) with a guard page below it. Returns NULL when
 * memory runs out. The thread ends when fn returns or calls sched_exit. */
struct sk_thread *sched_create(const char *name, sk_thread_fn fn, void *arg,
			       size_t stack_size);
void sched_exit(void) __attribute__((noreturn));
struct sk_thread *sched_current(void);
void sched_relinquish(void); /* let other ready threads run first */
/* Block the calling thread for at least ns nanoseconds (idle CPU halts). */
void sched_sleep_ns(uint64_t ns);
/* CPUs that came up (the boot CPU and the application processors the MADT lists);
 * the first call starts them. */
int sched_cpus_online(void);
/* The CPU the caller runs on (0 = the boot CPU); it may move right after. */
int sched_cpu_id(void);
/* Let t run only on the CPUs in mask (bit n = CPU n; 0 = any): 0, or -1 when no
 * CPU of the mask is up or t has exited. The caller itself moves at once when its
 * own new mask excludes the CPU it runs on. */
int sched_set_affinity(struct sk_thread *t, unsigned long mask);
/* t's mask (every CPU up when it has none), or 0 when t has exited. */
unsigned long sched_get_affinity(struct sk_thread *t);

/* One pointer per thread owned by libc-shim (its pthread record). */
void *sched_get_user(struct sk_thread *t);
void sched_set_user(struct sk_thread *t, void *p);

/* Per-thread newlib reentrancy struct (libc-shim's __getreent returns the running
 * thread's, or newlib's global one when it has none: kernel and lwIP threads). */
void sched_set_reent(struct sk_thread *t, void *reent);
/* Inline, as newlib asks on every errno and stdio call: %gs:SK_PERCPU_CURRENT is the
 * running thread's record (one gs-relative load, so a thread that moves to another CPU
 * still reads its own), its reent at SK_THREAD_REENT (both checked in kernel/sched.c). */
#define SK_PERCPU_CURRENT 8
#define SK_THREAD_REENT 8
static inline void *sched_current_reent(void)
{
	void *r;
	__asm__ volatile("mov %%gs:%c1, %0\n\tmov %c2(%0), %0"
			 : "=r"(r) : "i"(SK_PERCPU_CURRENT), "i"(SK_THREAD_REENT));
	return r;
}

/* Called in the exiting thread's own context (interrupts on, may call free)
 * by sched_exit, just before the thread is marked dead; its stack is freed
 * later by the scheduler. libc-shim uses it to release per-thread state.
 * May be NULL. */
extern void (*sched_thread_reaper)(struct sk_thread *t);

/* Asynchronous upcall (libc-shim's signal delivery): when sched_async_pending is
 * set, every device or timer interrupt that interrupted code running with interrupts
 * on calls sched_async_hook on its way out, in the interrupted thread (on its stack,
 * interrupts still off; the hook may turn them on, and must turn them off again
 * before it returns; SSE state is saved around it). */
extern void (*sched_async_hook)(void);
extern volatile int sched_async_pending;

#endif
