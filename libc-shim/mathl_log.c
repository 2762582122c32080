/* Long-double logarithms with x87 fyl2x/fyl2xp1 (fyl2xp1 near 1 keeps relative accuracy): logl log2l log10l log1pl. */
#include <errno.h>
#include <math.h>
#include "mathl_x87.h"

#define LN2 0.693147180559945309417232121458176568L
#define LG2 0.301029995663981195213738894724493027L /* log10(2) */
#define NEAR_ONE 0.29L /* fyl2xp1 takes |x| < 1 - sqrt(2)/2 */

static long double x87_yl2x(long double x, long double y) /* y * log2(x) */
{
	long double r;
	__asm__("fyl2x" : "=t"(r) : "0"(x), "u"(y) : "st(1)");
	return r;
}

static long double x87_yl2xp1(long double x, long double y) /* y * log2(1 + x) */
{
	long double r;
	__asm__("fyl2xp1" : "=t"(r) : "0"(x), "u"(y) : "st(1)");
	return r;
}

/* The C special cases shared by every logarithm of x (x > 0 is the normal case). */
static int log_special(long double x, long double *r)
{
	if (isnan(x)) {
		*r = x + x;
		return 1;
	}
	if (x == 0) {
		errno = ERANGE;
		*r = -HUGE_VALL;
		return 1;
	}
	if (x < 0) {
		errno = EDOM;
		*r = NAN;
		return 1;
	}
	if (isinf(x)) {
		*r = x;
		return 1;
	}
	return 0;
}

static long double log_base(long double x, long double k) /* k * log2(x) */
{
	long double r;
	if (log_special(x, &r))
		return r;
	if (__builtin_fabsl(x - 1) < NEAR_ONE)
		return x87_yl2xp1(x - 1, k); /* x - 1 is exact here */
	return x87_yl2x(x, k);
}

long double logl(long double x)
{
	return log_base(x, LN2);
}

long double log2l(long double x)
{
	return log_base(x, 1.0L);
}

long double log10l(long double x)
{
	return log_base(x, LG2);
}

long double log1pl(long double x)
{
	long double r;
	if (isnan(x) || x == 0)
		return x + x;
	if (log_special(1 + x, &r)) /* x <= -1, or +inf */
		return x < -1 ? (errno = EDOM, NAN) : r;
	if (__builtin_fabsl(x) < NEAR_ONE)
		return x87_yl2xp1(x, LN2);
	long double s, t;
	two_sum(1.0L, x, &s, &t); /* 1 + x = s + t exactly */
	return x87_yl2x(s, LN2) + t / s;
}
