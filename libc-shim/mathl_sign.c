/* Long-double sign, comparison and neighbour functions: fabsl copysignl fminl fmaxl fdiml nextafterl nexttoward*. */
#include <errno.h>
#include <math.h>
#include "mathl_x87.h"

long double fabsl(long double x)
{
	return __builtin_fabsl(x);
}

long double copysignl(long double x, long double y)
{
	return __builtin_copysignl(x, y);
}

/* A NaN argument loses to a number; -0 orders below +0. */
long double fminl(long double x, long double y)
{
	if (isnan(x))
		return y;
	if (isnan(y))
		return x;
	if (x == y)
		return signbit(x) ? x : y;
	return x < y ? x : y;
}

long double fmaxl(long double x, long double y)
{
	if (isnan(x))
		return y;
	if (isnan(y))
		return x;
	if (x == y)
		return signbit(x) ? y : x;
	return x > y ? x : y;
}

long double fdiml(long double x, long double y)
{
	if (isnan(x) || isnan(y))
		return x + y;
	if (!(x > y))
		return 0.0L;
	long double d = x - y;
	if (isinf(d) && !isinf(x) && !isinf(y))
		errno = ERANGE;
	return d;
}

/* The next representable value after x toward y (bit steps on the 80-bit format). */
long double nextafterl(long double x, long double y)
{
	union ldbits u = { .f = x };

	if (isnan(x) || isnan(y))
		return x + y;
	if (x == y)
		return y;
	if (x == 0) {
		u.b.m = 1; /* the smallest subnormal, with y's sign */
		u.b.se = signbit(y) ? LD_SIGN : 0;
		errno = ERANGE;
		return u.f;
	}
	unsigned exp = u.b.se & LD_EXP_MASK;
	if ((x < y) == (x > 0)) { /* away from zero */
		u.b.m++;
		if (u.b.m == 0) { /* carried out of the significand */
			u.b.m = LD_TOP;
			u.b.se++;
		} else if (exp == 0 && (u.b.m & LD_TOP)) {
			u.b.se++; /* largest subnormal -> smallest normal */
		}
	} else { /* toward zero */
		if (u.b.m == LD_TOP && exp > 0) {
			u.b.se--;
			u.b.m = exp == 1 ? LD_TOP - 1 : ~0ULL;
		} else {
			u.b.m--;
		}
	}
	if ((u.b.se & LD_EXP_MASK) == LD_EXP_MASK || (u.b.se & LD_EXP_MASK) == 0)
		errno = ERANGE; /* overflowed to infinity, or subnormal */
	return u.f;
}

long double nexttowardl(long double x, long double y)
{
	return nextafterl(x, y);
}

double nexttoward(double x, long double y)
{
	if (isnan(x) || isnan(y))
		return (double)(x + y);
	if ((long double)x == y)
		return (double)y;
	return nextafter(x, (long double)x < y ? HUGE_VAL : -HUGE_VAL);
}

float nexttowardf(float x, long double y)
{
	if (isnan(x) || isnan(y))
		return (float)(x + y);
	if ((long double)x == y)
		return (float)y;
	return nextafterf(x, (long double)x < y ? HUGE_VALF : -HUGE_VALF);
}
