/* Long-double exponent handling with x87 fscale/fxtract: ldexpl scalbnl scalblnl frexpl logbl ilogbl modfl. */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include "mathl_x87.h"

long double scalblnl(long double x, long n)
{
	if (x == 0 || !isfinite(x))
		return x + x;
	/* Past +-2^17 the result has over- or underflowed already; keeps n exact. */
	if (n > 70000)
		n = 70000;
	else if (n < -70000)
		n = -70000;
	long double r = x87_scale(x, (long double)n);
	if (r == 0 || isinf(r))
		errno = ERANGE;
	return r;
}

long double scalbnl(long double x, int n)
{
	return scalblnl(x, n);
}

long double ldexpl(long double x, int n)
{
	return scalblnl(x, n);
}

/* fxtract: x = significand * 2^exponent with the significand in [1,2). */
static long double x87_xtract(long double x, long double *exponent)
{
	long double sig;
	__asm__("fxtract" : "=t"(sig), "=u"(*exponent) : "0"(x));
	return sig;
}

long double frexpl(long double x, int *e)
{
	if (x == 0 || !isfinite(x)) {
		*e = 0;
		return x + x;
	}
	long double ex;
	long double sig = x87_xtract(x, &ex);
	*e = (int)ex + 1;
	return sig * 0.5L;
}

long double logbl(long double x)
{
	if (isnan(x))
		return x + x;
	if (isinf(x))
		return __builtin_fabsl(x);
	if (x == 0) {
		errno = ERANGE;
		return -HUGE_VALL; /* pole error */
	}
	long double ex;
	x87_xtract(x, &ex);
	return ex;
}

int ilogbl(long double x)
{
	if (x == 0 || !isfinite(x)) {
		errno = EDOM;
		return x == 0 ? FP_ILOGB0 : isnan(x) ? FP_ILOGBNAN : INT_MAX;
	}
	long double ex;
	x87_xtract(x, &ex);
	return (int)ex;
}

long double modfl(long double x, long double *iptr)
{
	long double i = truncl(x);
	*iptr = i;
	if (isinf(x))
		return __builtin_copysignl(0.0L, x);
	return __builtin_copysignl(x - i, x); /* NaN stays NaN; -3.0 gives -0 */
}
