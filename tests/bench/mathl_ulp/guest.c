/* Benchmark guest: long-double functions on pseudo-random inputs, printed as "name x [y] result" in %La for tests/bench/mathl_ulp.py. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static unsigned long long state = 88172645463325252ULL;

static long double uniform(void) /* [0, 1) with 64 random bits */
{
	state ^= state << 13;
	state ^= state >> 7;
	state ^= state << 17;
	return ldexpl((long double)state, -64);
}

/* Log-uniform in [lo, hi] (lo > 0), or uniform where lin is set; negated if neg. */
static long double pick(long double lo, long double hi, int lin, int neg)
{
	long double u = uniform(), x;
	x = lin ? lo + u * (hi - lo) : expl(logl(lo) + u * (logl(hi) - logl(lo)));
	return neg && uniform() < 0.5L ? -x : x;
}

#define ONE(f, lo, hi, lin, neg)                                          \
	for (int i = 0; i < n; i++) {                                     \
		long double x = pick(lo, hi, lin, neg);                   \
		printf(#f " [" #lo "," #hi "] %La %La\n", x, f(x));       \
	}
#define TWO(f, lo, hi)                                                          \
	for (int i = 0; i < n; i++) {                                           \
		long double x = pick(lo, hi, 0, 1), y = pick(lo, hi, 0, 1);      \
		printf(#f " [" #lo "," #hi "] %La %La %La\n", x, y, f(x, y));   \
	}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 1000;
	ONE(expl, 1e-20L, 11000.0L, 0, 1)
	ONE(exp2l, 1e-20L, 16000.0L, 0, 1)
	ONE(expm1l, 1e-20L, 40.0L, 0, 1)
	ONE(logl, 1e-4000L, 1e4000L, 0, 0)
	ONE(logl, 0.7L, 1.4L, 1, 0)
	ONE(log2l, 1e-4000L, 1e4000L, 0, 0)
	ONE(log10l, 1e-4000L, 1e4000L, 0, 0)
	ONE(log1pl, 1e-20L, 0.99L, 0, 1)
	ONE(log1pl, 1.0L, 1e100L, 0, 0)
	ONE(sinhl, 1e-20L, 11000.0L, 0, 1)
	ONE(coshl, 1e-20L, 11000.0L, 0, 1)
	ONE(tanhl, 1e-20L, 30.0L, 0, 1)
	ONE(asinhl, 1e-20L, 1e100L, 0, 1)
	ONE(acoshl, 1.0L, 1e100L, 0, 0)
	ONE(atanhl, 1e-20L, 1.0L, 0, 1)
	ONE(sinl, 1e-20L, 10.0L, 0, 1)
	ONE(sinl, 10.0L, 1e4932L, 0, 1)
	ONE(cosl, 1e-20L, 10.0L, 0, 1)
	ONE(cosl, 10.0L, 1e4932L, 0, 1)
	ONE(tanl, 1e-20L, 10.0L, 0, 1)
	ONE(tanl, 10.0L, 1e4932L, 0, 1)
	ONE(atanl, 1e-20L, 1e20L, 0, 1)
	ONE(asinl, 1e-20L, 1.0L, 0, 1)
	ONE(acosl, 1e-20L, 1.0L, 0, 1)
	ONE(sqrtl, 1e-4900L, 1e4900L, 0, 0)
	ONE(cbrtl, 1e-4900L, 1e4900L, 0, 1)
	TWO(hypotl, 1e-2000L, 1e2000L)
	for (int i = 0; i < n; i++) { /* x^y over most of the range */
		long double x = pick(1e-30L, 1e30L, 0, 0), y = pick(1e-3L, 300.0L, 0, 1);
		printf("powl [1e-30..1e30,+-300] %La %La %La\n", x, y, powl(x, y));
	}
	for (int i = 0; i < n; i++) { /* x near 1, huge y: needs log2(x) past 64 bits */
		long double x = 1 + pick(1e-19L, 1e-3L, 0, 1), y = pick(100.0L, 1e20L, 0, 1);
		printf("powl [1+-1e-3,+-1e20] %La %La %La\n", x, y, powl(x, y));
	}
	TWO(atan2l, 1e-20L, 1e20L)
	return 0;
}
