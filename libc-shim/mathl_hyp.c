/* Long-double hyperbolic functions from expm1l and a scaled expl: sinhl coshl tanhl. */
#include <math.h>
#include "mathl_x87.h"

long double sinhl(long double x)
{
	long double a = __builtin_fabsl(x), r;
	if (isnan(x) || isinf(x) || a < 0x1p-33L)
		return x;
	if (a < 25) {
		long double e = expm1l(a); /* sinh = (e^a - e^-a)/2 = (E + E/(E+1))/2 */
		r = 0.5L * (e + e / (e + 1));
	} else {
		r = __skiff_expl_scaled(a, -1); /* e^-a is below an ulp */
	}
	return __builtin_copysignl(r, x);
}

long double coshl(long double x)
{
	long double a = __builtin_fabsl(x);
	if (isnan(x))
		return x + x;
	if (isinf(x))
		return a;
	if (a < 0.5L) {
		long double e = expm1l(a); /* 1 + E^2 / (2(1+E)) */
		return 1 + e * e / (2 * (1 + e));
	}
	if (a < 25) {
		long double e = expl(a);
		return 0.5L * e + 0.5L / e;
	}
	return __skiff_expl_scaled(a, -1);
}

long double tanhl(long double x)
{
	long double a = __builtin_fabsl(x), r;
	if (isnan(x))
		return x + x;
	if (a < 0x1p-33L)
		return x;
	if (a > 23) {
		r = 1.0L; /* 1 - 2e^-2a is within half an ulp of 1 */
	} else {
		long double e = expm1l(2 * a);
		r = e / (e + 2);
	}
	return __builtin_copysignl(r, x);
}
