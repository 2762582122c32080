/* Boot test (--cpus 2; smp_threads4 runs the same file at --cpus 4, more vCPUs than host cores): threads on every CPU — mutex counter, condvar ping-pong, semaphores, barriers, pinning, clock, malloc storm, errno. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAXC 16
static int ncpu;
static int failures;

#define CHECK(cond, ...) do { if (!(cond)) { printf("FAIL: " __VA_ARGS__); printf("\n"); failures++; } } while (0)

static void pin(int cpu)
{
	cpu_set_t s;
	CPU_ZERO(&s);
	CPU_SET(cpu, &s);
	if (sched_setaffinity(0, sizeof(s), &s) != 0)
		printf("FAIL: sched_setaffinity(%d): %s\n", cpu, strerror(errno)), failures++;
}

static void run_all(void *(*fn)(void *), int n)
{
	pthread_t t[MAXC * 2];
	for (long i = 0; i < n; i++)
		if (pthread_create(&t[i], NULL, fn, (void *)i) != 0)
			printf("FAIL: pthread_create\n"), failures++;
	for (int i = 0; i < n; i++)
		pthread_join(t[i], NULL);
}

/* 1. a mutex-protected counter: no update lost; and which CPUs the workers ran on */
#define ROUNDS 50000
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static long counter;
static unsigned seen_cpus;
static void *count_worker(void *arg)
{
	(void)arg;
	unsigned mine = 0;
	for (int i = 0; i < ROUNDS; i++) {
		pthread_mutex_lock(&lock);
		counter++;
		pthread_mutex_unlock(&lock);
		mine |= 1u << sched_getcpu();
	}
	__atomic_or_fetch(&seen_cpus, mine, __ATOMIC_RELAXED);
	return NULL;
}

/* 2. condvar ping-pong between threads pinned to different CPUs */
#define PINGS 2000
static pthread_mutex_t pp_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t pp_cond = PTHREAD_COND_INITIALIZER;
static int turn, pp_bad;
static void *pingpong(void *arg)
{
	int me = (int)(long)arg;
	pin(me % ncpu);
	for (int i = 0; i < PINGS; i++) {
		pthread_mutex_lock(&pp_lock);
		while (turn != me)
			pthread_cond_wait(&pp_cond, &pp_lock);
		if (sched_getcpu() != me % ncpu)
			pp_bad++;
		turn = !me;
		pthread_cond_broadcast(&pp_cond);
		pthread_mutex_unlock(&pp_lock);
	}
	return NULL;
}

/* 3. semaphores: producer and consumer on different CPUs, every item arrives once, in order */
#define ITEMS 5000
static sem_t filled, empty;
static int ring[8], consumed_sum, order_bad;
static void *producer(void *arg)
{
	(void)arg;
	pin(0);
	for (int i = 1; i <= ITEMS; i++) {
		sem_wait(&empty);
		ring[i % 8] = i;
		sem_post(&filled);
	}
	return NULL;
}
static void *consumer(void *arg)
{
	(void)arg;
	pin(ncpu - 1);
	for (int i = 1; i <= ITEMS; i++) {
		sem_wait(&filled);
		if (ring[i % 8] != i)
			order_bad++;
		consumed_sum += ring[i % 8] & 1;
		sem_post(&empty);
	}
	return NULL;
}

/* 4. barriers: nobody gets a round ahead */
#define BROUNDS 200
static pthread_barrier_t bar;
static int arrived[BROUNDS], barrier_bad;
static int nbar;
static void *barrier_worker(void *arg)
{
	(void)arg;
	for (int r = 0; r < BROUNDS; r++) {
		__atomic_add_fetch(&arrived[r], 1, __ATOMIC_ACQ_REL);
		pthread_barrier_wait(&bar);
		if (__atomic_load_n(&arrived[r], __ATOMIC_ACQUIRE) != nbar)
			__atomic_add_fetch(&barrier_bad, 1, __ATOMIC_RELAXED);
	}
	return NULL;
}

/* 5. pinned threads really run on their CPU (after yields and sleeps); errno per thread */
static int pin_bad, errno_bad;
static void *pinned(void *arg)
{
	int cpu = (int)(long)arg % ncpu;
	pin(cpu);
	errno = 1000 + (int)(long)arg;
	for (int i = 0; i < 200; i++) {
		if (sched_getcpu() != cpu)
			__atomic_add_fetch(&pin_bad, 1, __ATOMIC_RELAXED);
		if (i % 50 == 0) {
			struct timespec ts = { 0, 100000 };
			nanosleep(&ts, NULL);
		} else {
			sched_yield();
		}
		if (errno != 1000 + (int)(long)arg)
			__atomic_add_fetch(&errno_bad, 1, __ATOMIC_RELAXED);
	}
	return NULL;
}

/* 6. CLOCK_MONOTONIC read on every CPU never goes back, as ordered by a mutex */
static pthread_mutex_t clk_lock = PTHREAD_MUTEX_INITIALIZER;
static long long last_ns;
static int clock_bad;
static void *clock_worker(void *arg)
{
	pin((int)(long)arg % ncpu);
	for (int i = 0; i < 2000; i++) {
		pthread_mutex_lock(&clk_lock);
		struct timespec ts;
		clock_gettime(CLOCK_MONOTONIC, &ts);
		long long ns = ts.tv_sec * 1000000000LL + ts.tv_nsec;
		if (ns < last_ns)
			clock_bad++;
		last_ns = ns;
		pthread_mutex_unlock(&clk_lock);
	}
	return NULL;
}

/* 7. malloc/free storm from all CPUs: blocks keep their contents */
static int heap_bad;
static void *storm(void *arg)
{
	unsigned seed = 12345u + (unsigned)(long)arg;
	unsigned char *keep[64] = { 0 };
	size_t len[64] = { 0 };
	for (int i = 0; i < 20000; i++) {
		int k = rand_r(&seed) % 64;
		if (keep[k]) {
			for (size_t j = 0; j < len[k]; j++)
				if (keep[k][j] != (unsigned char)(k + len[k]))
					__atomic_add_fetch(&heap_bad, 1, __ATOMIC_RELAXED);
			free(keep[k]);
		}
		len[k] = 1 + rand_r(&seed) % 2000;
		keep[k] = malloc(len[k]);
		if (!keep[k]) {
			__atomic_add_fetch(&heap_bad, 1, __ATOMIC_RELAXED);
			len[k] = 0;
			continue;
		}
		memset(keep[k], (unsigned char)(k + len[k]), len[k]);
	}
	for (int k = 0; k < 64; k++)
		free(keep[k]);
	return NULL;
}

int main(void)
{
	ncpu = (int)sysconf(_SC_NPROCESSORS_ONLN);
	printf("cpus %d\n", ncpu);
	CHECK(ncpu >= 2, "want 2 CPUs or more, have %d", ncpu);
	if (ncpu > MAXC)
		ncpu = MAXC;

	run_all(count_worker, 2 * ncpu);
	CHECK(counter == 2L * ncpu * ROUNDS, "counter %ld", counter);
	CHECK(__builtin_popcount(seen_cpus) == ncpu, "workers ran on CPUs %#x", seen_cpus);
	printf("mutex counter ok\n");

	pthread_t a, b;
	pthread_create(&a, NULL, pingpong, (void *)0L);
	pthread_create(&b, NULL, pingpong, (void *)1L);
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	CHECK(pp_bad == 0, "ping-pong ran off its CPU %d times", pp_bad);
	printf("condvar ping-pong ok\n");

	sem_init(&filled, 0, 0);
	sem_init(&empty, 0, 8);
	pthread_create(&a, NULL, producer, NULL);
	pthread_create(&b, NULL, consumer, NULL);
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	CHECK(order_bad == 0 && consumed_sum == ITEMS / 2, "semaphores: %d out of order", order_bad);
	printf("semaphores ok\n");

	nbar = 2 * ncpu;
	pthread_barrier_init(&bar, NULL, nbar);
	run_all(barrier_worker, nbar);
	CHECK(barrier_bad == 0, "barrier let %d through early", barrier_bad);
	printf("barriers ok\n");

	run_all(pinned, 2 * ncpu);
	CHECK(pin_bad == 0, "pinned threads ran elsewhere %d times", pin_bad);
	CHECK(errno_bad == 0, "errno changed under a thread %d times", errno_bad);
	errno = 0;
	cpu_set_t none;
	CPU_ZERO(&none);
	CPU_SET(MAXC + 1, &none); /* no such CPU */
	CHECK(sched_setaffinity(0, sizeof(none), &none) == -1 && errno == EINVAL, "affinity to no CPU");
	cpu_set_t all;
	CHECK(sched_getaffinity(0, sizeof(all), &all) == 0 && CPU_COUNT(&all) == ncpu, "getaffinity");
	printf("pinning and errno ok\n");

	run_all(clock_worker, ncpu);
	CHECK(clock_bad == 0, "CLOCK_MONOTONIC went back %d times across CPUs", clock_bad);
	printf("clock ok\n");

	run_all(storm, 2 * ncpu);
	CHECK(heap_bad == 0, "heap blocks corrupted %d times", heap_bad);
	printf("malloc storm ok\n");

	printf(failures ? "smp FAILED\n" : "smp ok\n");
	return failures ? 1 : 0;
}
