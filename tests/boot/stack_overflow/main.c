/* Boot test: a thread that recurses without bound hits its guard page and is reported. */
#include <pthread.h>
#include <stdio.h>

__attribute__((noinline)) static int recurse(volatile char *prev, int depth)
{
	volatile char pad[512];
	pad[0] = (char)depth;
	if (prev)
		pad[1] = prev[0];
	return recurse(pad, depth + 1) + pad[1];
}

static void *worker(void *arg)
{
	(void)arg;
	recurse(0, 0);
	return 0;
}

int main(void)
{
	pthread_t t;
	printf("starting runaway thread\n");
	fflush(stdout);
	pthread_create(&t, 0, worker, 0);
	pthread_join(t, 0);
	printf("thread returned?!\n");
	return 0;
}
