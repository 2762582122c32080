/* Boot test (--cpus 2): a NULL dereference in a thread pinned to CPU 1 gives the symbolised backtrace and exit 134. */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdio.h>

__attribute__((noinline)) void crash_on_cpu1(volatile int *p)
{
	*p = 1;
}

static void *worker(void *arg)
{
	cpu_set_t s;
	CPU_ZERO(&s);
	CPU_SET(1, &s);
	if (pthread_setaffinity_np(pthread_self(), sizeof(s), &s) != 0 || sched_getcpu() != 1) {
		printf("not on CPU 1\n");
		return arg;
	}
	printf("about to fault on CPU %d\n", sched_getcpu());
	fflush(stdout);
	crash_on_cpu1(arg);
	printf("survived?!\n");
	return arg;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, worker, NULL);
	pthread_join(t, NULL);
	printf("joined without a fault\n");
	return 0;
}
