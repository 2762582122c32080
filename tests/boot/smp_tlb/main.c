/* Boot test (--cpus 2): a thread's stack freed on CPU 0 is gone from CPU 1's TLB too (shoot-down): CPU 1's next read faults. */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <time.h>

static volatile int *on_stack; /* a word on the owner thread's stack */
static int primed, freed;

static void pin(int cpu)
{
	cpu_set_t s;
	CPU_ZERO(&s);
	CPU_SET(cpu, &s);
	pthread_setaffinity_np(pthread_self(), sizeof(s), &s);
}

static void *owner(void *arg)
{
	pin(0);
	volatile int local[16] = { 42 };
	on_stack = local;
	while (!__atomic_load_n(&primed, __ATOMIC_ACQUIRE))
		sched_yield();
	return arg; /* its stack is unmapped once the scheduler reaps it */
}

__attribute__((noinline)) int read_freed(volatile int *p)
{
	return *p;
}

static void *reader(void *arg)
{
	pin(1);
	while (!on_stack)
		sched_yield();
	int seen = 0;
	for (int i = 0; i < 1000; i++)
		seen += on_stack[0]; /* the mapping is in this CPU's TLB now */
	__atomic_store_n(&primed, 1, __ATOMIC_RELEASE);
	while (!__atomic_load_n(&freed, __ATOMIC_ACQUIRE))
		; /* spin: no kernel entry, nothing else flushes this CPU's TLB */
	printf("reader on CPU %d reads the freed stack (saw %d)\n", sched_getcpu(), seen / 1000);
	fflush(stdout);
	seen += read_freed(on_stack);
	printf("survived: read %d from a freed stack\n", seen);
	return arg;
}

int main(void)
{
	pin(0);
	pthread_t o, r;
	pthread_create(&r, NULL, reader, NULL);
	pthread_create(&o, NULL, owner, NULL);
	pthread_join(o, NULL);
	struct timespec ts = { 0, 20000000 };
	nanosleep(&ts, NULL); /* CPU 0 idles meanwhile: the owner's stack is reaped */
	printf("main on CPU %d: the owner's stack is freed\n", sched_getcpu());
	fflush(stdout);
	__atomic_store_n(&freed, 1, __ATOMIC_RELEASE);
	pthread_join(r, NULL);
	return 0;
}
