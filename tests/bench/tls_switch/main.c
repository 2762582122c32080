/* Benchmark guest: two threads handing the CPU back and forth with sched_yield; built with
 * -DWITH_TLS each also reads and writes a thread-local, so every switch loads the FS base. */
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#ifdef WITH_TLS
static __thread long mine = 1;
#define TOUCH() (mine++)
#else
static long shared[2];
#define TOUCH() (shared[0]++)
#endif

static int rounds;

static void *spin(void *arg)
{
	(void)arg;
	for (int i = 0; i < rounds; i++) {
		TOUCH();
		sched_yield();
	}
	return NULL;
}

static long long now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int main(int argc, char **argv)
{
	rounds = argc > 1 ? atoi(argv[1]) : 100000;
	pthread_t t;
	pthread_create(&t, NULL, spin, NULL);
	long long t0 = now_ns();
	spin(NULL);
	pthread_join(t, NULL);
	long long t1 = now_ns();
	/* two switches per round: to the other thread and back */
	printf("switch_ns %.1f rounds %d\n", (double)(t1 - t0) / (2.0 * rounds), rounds);
	return 0;
}
