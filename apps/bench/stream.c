/* stream: STREAM-style memory throughput (copy, scale, add, triad on arrays past the caches), results checked; prints MB/s. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define DEFAULT_MIB 16		/* per array; three arrays */
#define DEFAULT_REPS 5
#define SCALAR 3.0

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* What a[0], b[0], c[0] hold after reps rounds of the four kernels (every element alike). */
static void expected(int reps, double *ea, double *eb, double *ec)
{
	double a = 1.0, b = 2.0, c = 0.0;

	for (int r = 0; r < reps; r++) {
		c = a;
		b = SCALAR * c;
		c = a + b;
		a = b + SCALAR * c;
	}
	*ea = a, *eb = b, *ec = c;
}

static int check(const double *x, size_t n, double want, const char *name)
{
	for (size_t i = 0; i < n; i++) {
		if (fabs(x[i] - want) > 1e-12 * fabs(want)) {
			printf("stream: check FAILED: %s[%zu] = %.17g, expected %.17g\n",
			       name, i, x[i], want);
			return 0;
		}
	}
	return 1;
}

int main(int argc, char **argv)
{
	int mib = argc > 1 ? atoi(argv[1]) : DEFAULT_MIB;
	int reps = argc > 2 ? atoi(argv[2]) : DEFAULT_REPS;
	int wrong = argc > 3 && !strcmp(argv[3], "--wrong"); /* self-test of the check */

	if (mib <= 0 || reps <= 0) {
		fprintf(stderr, "usage: stream [MIB_PER_ARRAY [REPS [--wrong]]]  (defaults %d, %d)\n",
			DEFAULT_MIB, DEFAULT_REPS);
		return 2;
	}
	size_t n = (size_t)mib * 1024 * 1024 / sizeof(double);
	double *a = malloc(n * sizeof(double)), *b = malloc(n * sizeof(double));
	double *c = malloc(n * sizeof(double));
	if (!a || !b || !c) {
		fprintf(stderr, "stream: cannot allocate 3 x %d MiB\n", mib);
		return 1;
	}
	for (size_t i = 0; i < n; i++)
		a[i] = 1.0, b[i] = 2.0, c[i] = 0.0;

	/* best time per kernel over the reps, as STREAM reports */
	double best[4] = { 1e30, 1e30, 1e30, 1e30 };
	double start = now_s();
	for (int r = 0; r < reps; r++) {
		double t[5];

		t[0] = now_s();
		for (size_t i = 0; i < n; i++)
			c[i] = a[i];
		t[1] = now_s();
		for (size_t i = 0; i < n; i++)
			b[i] = SCALAR * c[i];
		t[2] = now_s();
		for (size_t i = 0; i < n; i++)
			c[i] = a[i] + b[i];
		t[3] = now_s();
		for (size_t i = 0; i < n; i++)
			a[i] = b[i] + SCALAR * c[i];
		t[4] = now_s();
		for (int k = 0; k < 4; k++)
			if (t[k + 1] - t[k] < best[k])
				best[k] = t[k + 1] - t[k];
	}
	double elapsed = now_s() - start;
	if (wrong)
		b[n / 2] += 1.0;

	double ea, eb, ec;
	expected(reps, &ea, &eb, &ec);
	if (!check(a, n, ea, "a") || !check(b, n, eb, "b") || !check(c, n, ec, "c"))
		return 1;
	/* bytes moved per kernel: copy and scale 2 arrays, add and triad 3 */
	double bytes[4] = { 2.0 * n * 8, 2.0 * n * 8, 3.0 * n * 8, 3.0 * n * 8 };
	double mbs[4];
	for (int k = 0; k < 4; k++)
		mbs[k] = best[k] > 0 ? bytes[k] / best[k] / 1e6 : 0;
	printf("stream: array_mib=%d reps=%d check=ok copy_mbs=%.1f scale_mbs=%.1f "
	       "add_mbs=%.1f triad_mbs=%.1f elapsed_ms=%.3f\n",
	       mib, reps, mbs[0], mbs[1], mbs[2], mbs[3], elapsed * 1e3);
	return 0;
}
