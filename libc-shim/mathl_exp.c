/* Long-double exponentials with x87 f2xm1 after an extra-precise reduction: expl exp2l expm1l. */
#include <errno.h>
#include <math.h>
#include "mathl_x87.h"

#define LN2 0.693147180559945309417232121458176568L
/* log2(e) = L2E_HI + L2E_LO; L2E_HI has 32 significant bits so x_hi * L2E_HI is exact. */
#define L2E_HI 1.4426950407214462757110595703125L
#define L2E_LO 1.6751713164886511068939213742664595e-10L

static long double x87_f2xm1(long double f) /* 2^f - 1 for |f| <= 1 */
{
	__asm__("f2xm1" : "+t"(f));
	return f;
}

/* x*log2(e) = n + fh + fl with n integral, |fh| <= ~0.5 and fl a tiny correction;
 * |x| must be below 2^15 or so. */
static void reduce(long double x, long double *n, long double *fh, long double *fl)
{
	const long double split = 4294967297.0L;
	long double c = split * x, xh = c - (c - x), xl = x - xh;
	long double t1 = xh * L2E_HI; /* exact */
	long double t2 = xh * L2E_LO + xl * L2E_HI + xl * L2E_LO;
	*n = x87_rint(t1);
	long double d = t1 - *n; /* exact */
	*fh = d + t2;
	*fl = (d - *fh) + t2;
}

/* 2^(fh+fl) - 1 for a reduced argument. */
static long double exp2m1_parts(long double fh, long double fl)
{
	long double m = x87_f2xm1(fh);
	return m + fl * LN2 * (1 + m);
}

long double __skiff_expl_scaled(long double x, int k)
{
	if (isnan(x))
		return x + x;
	if (x > 12000) {
		errno = ERANGE;
		return HUGE_VALL;
	}
	if (x < -12000) {
		errno = ERANGE;
		return 0.0L;
	}
	long double n, fh, fl;
	reduce(x, &n, &fh, &fl);
	long double r = x87_scale(1 + exp2m1_parts(fh, fl), n + k);
	if (isinf(r) || r == 0)
		errno = ERANGE;
	return r;
}

long double expl(long double x)
{
	if (isinf(x))
		return x > 0 ? x : 0.0L;
	return __skiff_expl_scaled(x, 0);
}

long double exp2l(long double x)
{
	if (isnan(x))
		return x + x;
	if (isinf(x))
		return x > 0 ? x : 0.0L;
	if (x > 20000)
		x = 20000;
	else if (x < -20000)
		x = -20000;
	long double n = x87_rint(x);
	long double r = x87_scale(1 + x87_f2xm1(x - n), n); /* x - n is exact */
	if (isinf(r) || r == 0)
		errno = ERANGE;
	return r;
}

long double expm1l(long double x)
{
	if (isnan(x) || x == 0)
		return x + x;
	if (x > 12000) {
		errno = ERANGE;
		return HUGE_VALL;
	}
	if (x < -46)
		return -1.0L; /* e^x is below half an ulp of 1 */
	if (__builtin_fabsl(x) < 0x1p-65L)
		return x;
	long double n, fh, fl;
	reduce(x, &n, &fh, &fl);
	long double m = exp2m1_parts(fh, fl);
	if (n == 0)
		return m;
	if (n > 64) {
		long double r = x87_scale(1 + m, n) - 1;
		if (isinf(r))
			errno = ERANGE;
		return r;
	}
	/* 2^n*(1+m) - 1 = 2^n*m + (2^n - 1); both terms exact, one rounding. */
	return x87_scale(m, n) + (x87_scale(1.0L, n) - 1);
}
