/* Boot test: threads sleeping 300, 100, 200 ms wake in order 100, 200, 300;
 * nanosleep(50 ms) lasts at least 50 ms on CLOCK_MONOTONIC. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int woke[3];
static int nwoke;

static void *sleeper(void *arg)
{
	int ms = (int)(intptr_t)arg;

	if (ms == 200) {
		struct timespec ts = { 0, 200 * 1000000L };
		nanosleep(&ts, NULL);
	} else {
		usleep(ms * 1000);
	}
	pthread_mutex_lock(&lock);
	woke[nwoke++] = ms;
	pthread_mutex_unlock(&lock);
	return NULL;
}

static int64_t mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int main(void)
{
	const int delays[3] = { 300, 100, 200 };
	pthread_t threads[3];

	for (int i = 0; i < 3; i++)
		pthread_create(&threads[i], NULL, sleeper, (void *)(intptr_t)delays[i]);
	for (int i = 0; i < 3; i++)
		pthread_join(threads[i], NULL);
	if (nwoke != 3 || woke[0] != 100 || woke[1] != 200 || woke[2] != 300) {
		printf("sleep FAIL order %d %d %d\n", woke[0], woke[1], woke[2]);
		return 1;
	}

	struct timespec fifty = { 0, 50 * 1000000L };
	int64_t start = mono_ns();
	if (nanosleep(&fifty, NULL) != 0) {
		printf("sleep FAIL nanosleep\n");
		return 1;
	}
	int64_t took = mono_ns() - start;
	if (took < 50 * 1000000LL || took >= 2000 * 1000000LL) {
		printf("sleep FAIL nanosleep(50 ms) took %lld ns\n", (long long)took);
		return 1;
	}
	struct timespec bad = { 0, 1000000000L };
	if (nanosleep(&bad, NULL) != -1) {
		printf("sleep FAIL nanosleep accepted tv_nsec = 1e9\n");
		return 1;
	}
	printf("sleep ok\n");
	return 0;
}
