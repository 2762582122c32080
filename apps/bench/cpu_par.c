/* cpu_par: the bench's CPU job (apps/bench/cpu.c: sieve, hashing, floating point) split over N threads; prints the result and its own run time. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "cpu_work.h"

#define MAX_THREADS 64

struct part {
	int first, count;       /* work units [first, first + count) */
	unsigned char *composite;
	uint64_t result;
};

/* Units are independent (seeded by their index), so any split gives the same result. */
static void *run_part(void *arg)
{
	struct part *p = arg;
	for (int u = p->first; u < p->first + p->count; u++)
		p->result ^= (sieve(p->composite) ^ mix((uint64_t)u * 0x9e3779b97f4a7c15ull)) + (uint64_t)u;
	return NULL;
}

int main(int argc, char **argv)
{
	int threads = argc > 1 ? atoi(argv[1]) : 2;
	int units = argc > 2 ? atoi(argv[2]) : 40;

	if (threads <= 0 || threads > MAX_THREADS || units <= 0) {
		fprintf(stderr, "usage: cpu_par [THREADS [UNITS]]  (1..%d threads, UNITS > 0)\n",
			MAX_THREADS);
		return 2;
	}
	struct part parts[MAX_THREADS];
	pthread_t tids[MAX_THREADS];
	for (int i = 0; i < threads; i++) {
		parts[i] = (struct part){ units * i / threads, units * (i + 1) / threads - units * i / threads,
					  malloc(SIEVE_SIZE), 0 };
		if (!parts[i].composite) {
			fprintf(stderr, "cpu_par: out of memory\n");
			return 1;
		}
	}
	double start = now_ms();
	for (int i = 0; i < threads; i++)
		if (pthread_create(&tids[i], NULL, run_part, &parts[i]) != 0) {
			fprintf(stderr, "cpu_par: pthread_create failed\n");
			return 1;
		}
	uint64_t result = 0;
	for (int i = 0; i < threads; i++) {
		pthread_join(tids[i], NULL);
		result ^= parts[i].result;
	}
	double elapsed = now_ms() - start;
	printf("cpu_par: threads=%d units=%d result=%016llx elapsed_ms=%.3f\n", threads, units,
	       (unsigned long long)result, elapsed);
	return 0;
}
