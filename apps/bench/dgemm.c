/* dgemm: blocked double-precision matrix multiply C = A*B with a residual check; prints GFLOP/s. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define DEFAULT_N 256
#define DEFAULT_REPS 2
#define BLOCK 32

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Deterministic entries in [-1, 1): a small linear congruential stream. */
static void fill(double *m, size_t count, unsigned seed)
{
	unsigned x = seed;

	for (size_t i = 0; i < count; i++) {
		x = x * 1664525u + 1013904223u;
		m[i] = (double)(x >> 8) / (double)(1u << 23) - 1.0;
	}
}

/* C = A*B, row-major n x n, in BLOCK x BLOCK tiles (i-k-j order inside a tile). */
static void dgemm(int n, const double *A, const double *B, double *C)
{
	memset(C, 0, (size_t)n * n * sizeof(double));
	for (int ii = 0; ii < n; ii += BLOCK)
		for (int kk = 0; kk < n; kk += BLOCK)
			for (int jj = 0; jj < n; jj += BLOCK) {
				int ie = ii + BLOCK < n ? ii + BLOCK : n;
				int ke = kk + BLOCK < n ? kk + BLOCK : n;
				int je = jj + BLOCK < n ? jj + BLOCK : n;
				for (int i = ii; i < ie; i++)
					for (int k = kk; k < ke; k++) {
						double a = A[(size_t)i * n + k];
						const double *b = B + (size_t)k * n;
						double *c = C + (size_t)i * n;
						for (int j = jj; j < je; j++)
							c[j] += a * b[j];
					}
			}
}

/* max |C x - A (B x)| / (n * max|C x|): C's error against two matrix-vector products. */
static double residual(int n, const double *A, const double *B, const double *C)
{
	double *x = malloc(n * sizeof(double)), *bx = malloc(n * sizeof(double));
	double worst = 0, scale = 0;

	for (int i = 0; i < n; i++)
		x[i] = 1.0 / (i + 1);
	for (int i = 0; i < n; i++) {
		double s = 0;
		for (int j = 0; j < n; j++)
			s += B[(size_t)i * n + j] * x[j];
		bx[i] = s;
	}
	for (int i = 0; i < n; i++) {
		double cx = 0, abx = 0;
		for (int j = 0; j < n; j++) {
			cx += C[(size_t)i * n + j] * x[j];
			abx += A[(size_t)i * n + j] * bx[j];
		}
		if (fabs(cx - abx) > worst)
			worst = fabs(cx - abx);
		if (fabs(cx) > scale)
			scale = fabs(cx);
	}
	free(x);
	free(bx);
	return scale > 0 ? worst / (n * scale) : worst;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : DEFAULT_N;
	int reps = argc > 2 ? atoi(argv[2]) : DEFAULT_REPS;
	int wrong = argc > 3 && !strcmp(argv[3], "--wrong"); /* self-test of the check */

	if (n <= 0 || reps <= 0) {
		fprintf(stderr, "usage: dgemm [N [REPS [--wrong]]]  (defaults %d, %d)\n", DEFAULT_N,
			DEFAULT_REPS);
		return 2;
	}
	size_t count = (size_t)n * n;
	double *A = malloc(count * sizeof(double)), *B = malloc(count * sizeof(double));
	double *C = malloc(count * sizeof(double));
	if (!A || !B || !C) {
		fprintf(stderr, "dgemm: cannot allocate 3 x %dx%d doubles\n", n, n);
		return 1;
	}
	fill(A, count, 1);
	fill(B, count, 2);
	double best = 1e30, start = now_s();
	for (int r = 0; r < reps; r++) {
		double t0 = now_s();
		dgemm(n, A, B, C);
		double t = now_s() - t0;
		if (t < best)
			best = t;
	}
	double elapsed = now_s() - start;
	if (wrong)
		C[(size_t)n + 1] += 1e-6;
	double res = residual(n, A, B, C);
	if (!(res < 1e-12)) {
		printf("dgemm: check FAILED: residual %.3g (n=%d)\n", res, n);
		return 1;
	}
	double flops = 2.0 * n * n * n;
	printf("dgemm: n=%d reps=%d check=ok residual=%.2e gflops=%.4f elapsed_ms=%.3f\n", n, reps,
	       res, best > 0 ? flops / best / 1e9 : 0, elapsed * 1e3);
	return 0;
}
