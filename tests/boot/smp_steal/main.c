/* Boot test (--cpus 2): work stealing — 4 busy threads on 2 CPUs all finish, both CPUs run them, a queued thread moves to the CPU that went idle; a thread woken from another CPU runs on its own. */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <semaphore.h>
#include <stdio.h>
#include <time.h>

#define WORKERS 4
#define SHORT_MS 150 /* worker 0; the others run 3 times as long */

static volatile unsigned seen[WORKERS]; /* bit n: the worker ran on CPU n */
static volatile unsigned long spins[WORKERS];

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Spin for ms of guest time, noting every CPU it runs on. */
static void *busy(void *arg)
{
	long i = (long)arg;
	double end = now_ms() + (i == 0 ? SHORT_MS : 3 * SHORT_MS);
	while (now_ms() < end) {
		seen[i] |= 1u << sched_getcpu();
		spins[i]++;
	}
	return NULL;
}

static sem_t ping, pong;
static volatile int woke_on = -1;

static void *sleeper(void *arg)
{
	(void)arg;
	sem_wait(&ping); /* blocked; main posts from the other CPU while spinning there */
	woke_on = sched_getcpu();
	sem_post(&pong);
	return NULL;
}

int main(void)
{
	int failures = 0;
	pthread_t t[WORKERS];
	for (long i = 0; i < WORKERS; i++)
		pthread_create(&t[i], NULL, busy, (void *)i);
	unsigned all = 0;
	int moved = 0;
	for (int i = 0; i < WORKERS; i++) {
		pthread_join(t[i], NULL);
		all |= seen[i];
		moved += seen[i] == 3u;
		printf("worker %d: cpus mask %u, %lu spins\n", i, seen[i], spins[i]);
		if (!spins[i])
			printf("FAIL: worker %d never ran\n", i), failures++;
	}
	if (all != 3u)
		printf("FAIL: the workers ran on CPUs %u, not on both\n", all), failures++;
	if (!moved)
		printf("FAIL: no worker moved from one CPU to the other (no stealing)\n"), failures++;
	else
		printf("stealing ok: %d worker(s) ran on both CPUs\n", moved);

	sem_init(&ping, 0, 0);
	sem_init(&pong, 0, 0);
	pthread_t s;
	pthread_create(&s, NULL, sleeper, NULL);
	struct timespec nap = { 0, 20000000 };
	nanosleep(&nap, NULL); /* the sleeper blocks on ping */
	int me = sched_getcpu();
	sem_post(&ping);
	double end = now_ms() + 5000;
	while (sem_trywait(&pong) != 0 && now_ms() < end)
		; /* keep this CPU busy: the woken thread must run on another one */
	pthread_join(s, NULL);
	if (woke_on < 0 || woke_on == me)
		printf("FAIL: woken thread ran on CPU %d, the waker spins on CPU %d\n", woke_on, me), failures++;
	else
		printf("remote wake-up ok\n");
	printf(failures ? "smp_steal FAILED\n" : "smp_steal ok\n");
	return failures ? 1 : 0;
}
