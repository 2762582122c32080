/* Long-double rounding to integers with x87 frndint/fistp: floorl ceill truncl roundl rintl nearbyintl and the l/ll variants. */
#include <math.h>
#include "mathl_x87.h"

long double floorl(long double x)
{
	return x87_round_mode(x, X87_RC_DOWN);
}

long double ceill(long double x)
{
	return x87_round_mode(x, X87_RC_UP);
}

long double truncl(long double x)
{
	return x87_round_mode(x, X87_RC_ZERO);
}

long double rintl(long double x)
{
	return x87_rint(x);
}

/* rintl without raising the inexact exception: the x87 environment is saved and
 * restored around frndint, with the value in memory so the tag word stays right. */
long double nearbyintl(long double x)
{
	char env[28];
	long double r;
	__asm__ volatile("fnstenv %1\n\tfldt %2\n\tfrndint\n\tfstpt %0\n\tfldenv %1"
			 : "=m"(r), "=m"(env) : "m"(x));
	return r;
}

/* Halfway cases away from zero; the sign of a zero result is x's. */
long double roundl(long double x)
{
	long double t = truncl(x);
	if (__builtin_fabsl(x - t) >= 0.5L) /* x - t is exact; false for inf and NaN */
		t += __builtin_copysignl(1.0L, x);
	return t;
}

/* fistp: an out-of-range or NaN value gives LLONG_MIN and raises invalid, as C allows. */
static long long x87_fistp(long double x)
{
	long long r;
	__asm__ volatile("fistpll %0" : "=m"(r) : "t"(x) : "st");
	return r;
}

long long llrintl(long double x)
{
	return x87_fistp(x);
}

long lrintl(long double x)
{
	return x87_fistp(x);
}

long long llroundl(long double x)
{
	return x87_fistp(roundl(x));
}

long lroundl(long double x)
{
	return x87_fistp(roundl(x));
}
