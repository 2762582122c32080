/* Long-double remainders and roots, exact or correctly rounded: fmodl remainderl remquol sqrtl hypotl. */
#include <errno.h>
#include <math.h>
#include "mathl_x87.h"

/* fprem (truncating) or fprem1 (IEEE, round-to-nearest quotient) to completion. */
static long double x87_prem(long double x, long double y, int ieee)
{
	unsigned short sw;
	do {
		if (ieee)
			__asm__ volatile("fprem1; fnstsw %1" : "+t"(x), "=a"(sw) : "u"(y));
		else
			__asm__ volatile("fprem; fnstsw %1" : "+t"(x), "=a"(sw) : "u"(y));
	} while (sw & 0x0400); /* C2: reduction incomplete */
	return x;
}

static int rem_domain(long double x, long double y)
{
	if (isnan(x) || isnan(y))
		return 0;
	if (isinf(x) || y == 0) {
		errno = EDOM;
		return 1;
	}
	return 0;
}

long double fmodl(long double x, long double y)
{
	if (rem_domain(x, y))
		return NAN;
	return x87_prem(x, y, 0);
}

long double remainderl(long double x, long double y)
{
	if (rem_domain(x, y))
		return NAN;
	return x87_prem(x, y, 1);
}

/* The quotient's low three bits are not taken from fprem1's C0/C3/C1 (QEMU's TCG
 * leaves them clear): x is first reduced modulo 8y, which keeps the remainder and the
 * quotient's parity, and the small quotient left is then exact. */
long double remquol(long double x, long double y, int *quo)
{
	*quo = 0;
	if (rem_domain(x, y))
		return NAN;
	if (isnan(x) || isnan(y))
		return x + y;
	long double x8 = x, y8 = 8 * y;
	if (isfinite(y8))
		x8 = x87_prem(x, y8, 0); /* exact; |x8| < 8|y| */
	long double r = x87_prem(x8, y, 1);
	int q = (int)__builtin_fabsl(x87_rint((x8 - r) / y)) & 7;
	*quo = signbit(x) != signbit(y) ? -q : q;
	return r;
}

long double sqrtl(long double x)
{
	if (x < 0) {
		errno = EDOM;
		return NAN;
	}
	__asm__("fsqrt" : "+t"(x));
	return x;
}

/* sqrt(x*x + y*y) without undue over/underflow: scaled by a power of two, the sum
 * of squares kept in two parts and the root corrected once (Newton step). */
long double hypotl(long double x, long double y)
{
	if (isinf(x) || isinf(y))
		return HUGE_VALL;
	if (isnan(x) || isnan(y))
		return x + y;
	long double a = __builtin_fabsl(x), b = __builtin_fabsl(y);
	if (a < b) {
		long double t = a;
		a = b;
		b = t;
	}
	if (b == 0)
		return a;
	int e = ilogbl(a);
	a = x87_scale(a, -e);
	b = x87_scale(b, -e); /* a in [1,2); b may lose bits only far below a's precision */
	long double aa, aal, bb, bbl, s, sl;
	two_prod(a, a, &aa, &aal);
	two_prod(b, b, &bb, &bbl);
	two_sum(aa, bb, &s, &sl);
	sl += aal + bbl;
	long double r;
	__asm__("fsqrt" : "=t"(r) : "0"(s + sl));
	long double rr, rrl;
	two_prod(r, r, &rr, &rrl);
	r += (((s - rr) + sl) - rrl) / (2 * r);
	long double res = x87_scale(r, e);
	if (isinf(res))
		errno = ERANGE;
	return res;
}
