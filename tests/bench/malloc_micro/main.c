/* malloc/free microbenchmark: ns per call for N mixed-size blocks allocated, freed in random order, churned. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static double now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* Redis-like sizes: mostly small, some medium. */
static size_t size_of(uint64_t r)
{
	return r % 10 < 8 ? 16 + r % 64 : 64 + r % 2048;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 100000;
	void **p = malloc((size_t)n * sizeof(*p));
	int *order = malloc((size_t)n * sizeof(*order));
	if (n < 1 || !p || !order) {
		fprintf(stderr, "malloc_micro: bad count or no memory\n");
		return 2;
	}
	for (int i = 0; i < n; i++)
		order[i] = i;
	for (int i = n - 1; i > 0; i--) {
		int j = (int)(rnd() % (uint64_t)(i + 1)), t = order[i];
		order[i] = order[j];
		order[j] = t;
	}
	double t0 = now_ns();
	for (int i = 0; i < n; i++)
		if (!(p[i] = malloc(size_of(rnd()))))
			return 3;
	double t1 = now_ns();
	for (int i = 0; i < n; i += 2) /* every other block, in random order: holes everywhere */
		free(p[order[i]]), p[order[i]] = NULL;
	double t2 = now_ns();
	for (int k = 0; k < n; k++) { /* churn: free one, allocate another size */
		int i = order[k];
		free(p[i]);
		if (!(p[i] = malloc(size_of(rnd()))))
			return 3;
	}
	double t3 = now_ns();
	for (int i = 0; i < n; i++)
		free(p[order[i]]);
	double t4 = now_ns();
	printf("malloc_micro n=%d malloc_ns=%.1f free_half_ns=%.1f churn_ns=%.1f free_all_ns=%.1f\n", n,
	       (t1 - t0) / n, (t2 - t1) / (n / 2), (t3 - t2) / n, (t4 - t3) / n);
	return 0;
}
