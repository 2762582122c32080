/* Long-double inverse trigonometric functions with x87 fpatan: atanl atan2l asinl acosl. */
#include <errno.h>
#include <math.h>
#include "mathl_x87.h"

static long double x87_patan(long double y, long double x) /* atan2(y, x), C99 quadrants */
{
	long double r;
	__asm__("fpatan" : "=t"(r) : "0"(x), "u"(y) : "st(1)");
	return r;
}

long double atan2l(long double y, long double x)
{
	if (isnan(x) || isnan(y))
		return x + y;
	return x87_patan(y, x);
}

long double atanl(long double x)
{
	if (isnan(x))
		return x + x;
	return x87_patan(x, 1.0L);
}

/* sqrt(1 - a^2) for a = |x| <= 1: as sqrt((1-a)(1+a)) near 1, where 1 - a is exact;
 * below 1/2 with 1 - a^2 carried in two parts. */
static long double cofunction(long double a)
{
	if (a >= 0.5L)
		return sqrtl((1 - a) * (1 + a));
	long double p, e, s, t;
	two_prod(a, a, &p, &e);
	two_sum(1.0L, -p, &s, &t);
	return sqrtl(s + (t - e));
}

long double asinl(long double x)
{
	if (isnan(x))
		return x + x;
	if (__builtin_fabsl(x) > 1) {
		errno = EDOM;
		return NAN;
	}
	return x87_patan(x, cofunction(__builtin_fabsl(x)));
}

long double acosl(long double x)
{
	if (isnan(x))
		return x + x;
	if (__builtin_fabsl(x) > 1) {
		errno = EDOM;
		return NAN;
	}
	return x87_patan(cofunction(__builtin_fabsl(x)), x);
}
