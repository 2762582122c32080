/* Boot test: 4 pthreads add to one counter under a mutex; no update is lost. */
#include <pthread.h>
#include <sched.h>
#include <stdio.h>

#define THREADS 4
#define ROUNDS 100000
#define YIELD_EVERY 1000

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static long counter;

static void *worker(void *arg)
{
	for (int i = 1; i <= ROUNDS; i++) {
		pthread_mutex_lock(&lock);
		long seen = counter;
		if (i % YIELD_EVERY == 0)
			sched_yield(); /* hand over while holding it: others must wait */
		counter = seen + 1;
		pthread_mutex_unlock(&lock);
		if (i % YIELD_EVERY == 500)
			sched_yield();
	}
	return arg;
}

int main(void)
{
	pthread_t threads[THREADS];

	for (long i = 0; i < THREADS; i++) {
		if (pthread_create(&threads[i], NULL, worker, (void *)i) != 0) {
			printf("threads FAIL create %ld\n", i);
			return 1;
		}
	}
	for (long i = 0; i < THREADS; i++) {
		void *ret;
		if (pthread_join(threads[i], &ret) != 0 || ret != (void *)i) {
			printf("threads FAIL join %ld\n", i);
			return 1;
		}
	}
	if (counter != (long)THREADS * ROUNDS) {
		printf("threads FAIL counter %ld\n", counter);
		return 1;
	}
	printf("threads ok %ld\n", counter);
	return 0;
}
