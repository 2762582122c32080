/* Long-double cube root: double's cbrt as a start, one Newton step with the residual computed exactly. */
#include <math.h>
#include "mathl_x87.h"

long double cbrtl(long double x)
{
	if (x == 0 || !isfinite(x))
		return x + x;
	int e;
	long double f = frexpl(__builtin_fabsl(x), &e); /* |x| = f * 2^e, f in [1/2, 1) */
	int r = ((e % 3) + 3) % 3, j = (e - r) / 3;
	long double m = x87_scale(f, r); /* in [1/2, 4): |x| = m * 2^(3j) */
	long double y = cbrt((double)m); /* about 53 bits */
	/* y^3 - m = (p + pe)*y - m with y^2 = p + pe exactly. */
	long double p, pe, c, ce;
	two_prod(y, y, &p, &pe);
	two_prod(p, y, &c, &ce);
	long double resid = (c - m) + (ce + pe * y);
	y -= resid / (3 * p);
	return __builtin_copysignl(x87_scale(y, j), x);
}
