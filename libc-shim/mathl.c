/* Long-double rounding newlib's libm lacks on x86-64 (its long double is the x87 80-bit type): ceill, floorl, llroundl, lroundl. */
#include <math.h>

#define TWO63 9223372036854775808.0L /* above this every long double is an integer */

long double floorl(long double x)
{
	if (!(__builtin_fabsl(x) < TWO63))
		return x; /* integral, infinite or NaN */
	long double t = (long double)(long long)x; /* truncated toward zero: exact */
	return t > x ? t - 1 : t;
}

long double ceill(long double x)
{
	if (!(__builtin_fabsl(x) < TWO63))
		return x;
	long double t = (long double)(long long)x;
	if (t < x)
		return t + 1;
	return t == 0 ? __builtin_copysignl(0.0L, x) : t; /* ceill(-0.5) is -0 */
}

/* Halfway cases away from zero; out-of-range values are undefined (as in C). */
long long llroundl(long double x)
{
	long long t = (long long)x;
	long double frac = x - (long double)t; /* exact for |x| < 2^63 */

	if (frac >= 0.5L)
		t++;
	else if (frac <= -0.5L)
		t--;
	return t;
}

long lroundl(long double x)
{
	return (long)llroundl(x);
}
