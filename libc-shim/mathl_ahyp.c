/* Long-double inverse hyperbolic functions from logl/log1pl: asinhl acoshl atanhl. */
#include <errno.h>
#include <math.h>

#define LN2 0.693147180559945309417232121458176568L

long double asinhl(long double x)
{
	long double a = __builtin_fabsl(x), r;
	if (isnan(x) || isinf(x) || a < 0x1p-33L)
		return x;
	if (a > 0x1p33L)
		r = logl(a) + LN2;
	else if (a > 2)
		r = logl(2 * a + 1 / (sqrtl(a * a + 1) + a));
	else {
		long double t = a * a;
		r = log1pl(a + t / (1 + sqrtl(1 + t)));
	}
	return __builtin_copysignl(r, x);
}

long double acoshl(long double x)
{
	if (isnan(x))
		return x + x;
	if (x < 1) {
		errno = EDOM;
		return NAN;
	}
	if (x > 0x1p33L)
		return isinf(x) ? x : logl(x) + LN2;
	if (x > 2)
		return logl(2 * x - 1 / (x + sqrtl(x * x - 1)));
	long double t = x - 1; /* exact */
	return log1pl(t + sqrtl(2 * t + t * t));
}

long double atanhl(long double x)
{
	long double a = __builtin_fabsl(x), r;
	if (isnan(x))
		return x + x;
	if (a > 1) {
		errno = EDOM;
		return NAN;
	}
	if (a == 1) {
		errno = ERANGE;
		return __builtin_copysignl(HUGE_VALL, x);
	}
	if (a < 0x1p-33L)
		return x;
	if (a < 0.5L) {
		long double t = a + a;
		r = 0.5L * log1pl(t + t * a / (1 - a));
	} else {
		r = 0.5L * log1pl((a + a) / (1 - a));
	}
	return __builtin_copysignl(r, x);
}
