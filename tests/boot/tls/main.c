/* Boot test: __thread / _Thread_local data, bss, structs, arrays and over-aligned
 * variables, in main and in concurrent pthreads, each with its own copy. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "tls_test.h"

struct point {
	int x, y;
	const char *label;
};

static __thread int counter = 42;
static __thread unsigned long long big = 0x1122334455667788ULL;
static _Thread_local struct point pt = { 3, -4, "origin" };
static _Thread_local int table[5] = { 1, 2, 3, 4, 5 };
static __thread char zeros[3000];                 /* .tbss */
static __thread int bss_scalar;                   /* .tbss */
static __thread char big_bss[40000];              /* .tbss over several pages */
static _Thread_local _Alignas(64) char aligned64[64] = "aligned";
static _Thread_local _Alignas(64) int aligned_bss[4];

#define NTHREADS 4
#define ROUNDS 50

static int failures;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static uintptr_t addrs[NTHREADS + 1];

#define CHECK(who, cond)                                                        \
	do {                                                                    \
		if (!(cond)) {                                                  \
			pthread_mutex_lock(&lock);                              \
			failures++;                                             \
			printf("FAIL %s: %s (line %d)\n", who, #cond, __LINE__); \
			pthread_mutex_unlock(&lock);                            \
		}                                                               \
	} while (0)

/* The initial image of every thread-local, as the program was linked. */
static void check_initial(const char *who)
{
	CHECK(who, counter == 42);
	CHECK(who, big == 0x1122334455667788ULL);
	CHECK(who, pt.x == 3 && pt.y == -4 && strcmp(pt.label, "origin") == 0);
	for (int i = 0; i < 5; i++)
		CHECK(who, table[i] == i + 1);
	for (size_t i = 0; i < sizeof(zeros); i++)
		if (zeros[i]) {
			CHECK(who, zeros[i] == 0);
			break;
		}
	CHECK(who, bss_scalar == 0);
	CHECK(who, big_bss[0] == 0 && big_bss[20000] == 0 && big_bss[sizeof(big_bss) - 1] == 0);
	CHECK(who, strcmp(aligned64, "aligned") == 0);
	CHECK(who, ((uintptr_t)aligned64 & 63) == 0);
	CHECK(who, ((uintptr_t)aligned_bss & 63) == 0);
	CHECK(who, aligned_bss[0] == 0 && aligned_bss[3] == 0);
	CHECK(who, other_counter == 1000);
	CHECK(who, strcmp(other_name, "other") == 0);
	CHECK(who, other_bss[0] == 0 && other_bss[7] == 0);
}

/* Write this thread's copies with values derived from id, yielding between
 * steps so the others run (and write theirs) in the middle. */
static void scribble_and_verify(const char *who, int id)
{
	for (int r = 0; r < ROUNDS; r++) {
		counter = id * 1000 + r;
		big = (unsigned long long)id << 40 | (unsigned)r;
		pt.x = id;
		pt.y = r;
		table[r % 5] = id + r;
		zeros[r * 7 % sizeof(zeros)] = (char)id;
		bss_scalar += id;
		big_bss[r * 797 % sizeof(big_bss)] = (char)id;
		aligned64[1] = (char)('0' + id);
		aligned_bss[r % 4] = id;
		other_touch(id);
		sched_yield();
		CHECK(who, counter == id * 1000 + r);
		CHECK(who, big == ((unsigned long long)id << 40 | (unsigned)r));
		CHECK(who, pt.x == id && pt.y == r);
		CHECK(who, table[r % 5] == id + r);
		CHECK(who, zeros[r * 7 % sizeof(zeros)] == (char)id);
		CHECK(who, bss_scalar == id * (r + 1));
		CHECK(who, big_bss[r * 797 % sizeof(big_bss)] == (char)id);
		CHECK(who, aligned64[1] == (char)('0' + id));
		CHECK(who, aligned_bss[r % 4] == id);
		CHECK(who, other_counter == 1000 + id * (r + 1));
		CHECK(who, other_bss[7] == (long)id * (r + 1));
		CHECK(who, other_name[0] == (char)('A' + id % 26));
	}
}

static void *worker(void *arg)
{
	int id = (int)(intptr_t)arg;
	char who[16];
	snprintf(who, sizeof(who), "thread %d", id);
	check_initial(who);
	addrs[id] = (uintptr_t)&counter;
	scribble_and_verify(who, id);
	return (void *)(intptr_t)counter;
}

int main(void)
{
	check_initial("main");
	addrs[0] = (uintptr_t)&counter;
	printf("main: counter %d pt %d,%d %s aligned64 %s other %d %s\n", counter, pt.x, pt.y,
	       pt.label, aligned64, other_counter, other_name);
	/* main writes before the threads start: they must still see the initial image */
	counter = 7;
	pt.label = "main's";
	other_touch(9);

	pthread_t t[NTHREADS];
	for (int i = 0; i < NTHREADS; i++)
		if (pthread_create(&t[i], NULL, worker, (void *)(intptr_t)(i + 1)) != 0) {
			printf("FAIL pthread_create %d\n", i);
			return 1;
		}
	for (int i = 0; i < NTHREADS; i++) {
		void *ret;
		pthread_join(t[i], &ret);
		CHECK("join", (intptr_t)ret == (i + 1) * 1000 + ROUNDS - 1);
	}
	CHECK("main", counter == 7 && strcmp(pt.label, "main's") == 0);
	CHECK("main", other_counter == 1009 && other_bss[7] == 9 && other_name[0] == 'J');
	for (int i = 0; i <= NTHREADS; i++)
		for (int j = 0; j < i; j++)
			CHECK("addresses", addrs[i] != addrs[j] && addrs[i] && addrs[j]);

	/* A second generation reuses freed stacks: still a fresh image each. */
	for (int i = 0; i < NTHREADS; i++)
		pthread_create(&t[i], NULL, worker, (void *)(intptr_t)(i + 1));
	for (int i = 0; i < NTHREADS; i++)
		pthread_join(t[i], NULL);

	if (failures) {
		printf("%d TLS checks failed\n", failures);
		return 1;
	}
	printf("tls: %d threads, each with its own copy: ok\n", 2 * NTHREADS);
	return 0;
}
