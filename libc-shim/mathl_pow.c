/* Long-double power: log2(x) and y*log2(x) in double-long-double (about 128 bits), then 2^t by f2xm1 as expl does; C's special cases. */
#include <errno.h>
#include <math.h>
#include "mathl_x87.h"

#define LN2 0.693147180559945309417232121458176568L
#define TWO_OVER_LN2_H 0xb8aa3b295c17f0bcp-62L
#define TWO_OVER_LN2_L -0x82f0025f2dc582eep-127L
#define SQRT_HALF 0.707106781186547524400844362104849039L

/* (ah + al) * (bh + bl) = *h + *l to about 128 bits. */
static void dd_mul(long double ah, long double al, long double bh, long double bl,
		   long double *h, long double *l)
{
	long double p, e;
	two_prod(ah, bh, &p, &e);
	e += ah * bl + al * bh;
	two_sum(p, e, h, l);
}

static void dd_add(long double ah, long double al, long double bh, long double bl,
		   long double *h, long double *l)
{
	long double s, e;
	two_sum(ah, bh, &s, &e);
	e += al + bl;
	two_sum(s, e, h, l);
}

/* (ah + al) / b for a small integer b. */
static void dd_div_int(long double ah, long double al, long double b, long double *h, long double *l)
{
	long double q = ah / b, p, e;
	two_prod(q, b, &p, &e);
	two_sum(q, (((ah - p) - e) + al) / b, h, l);
}

/* log2(x) = *h + *l for finite x > 0: x = m * 2^k with m in [sqrt(1/2), sqrt(2)),
 * log2(m) = 2/ln2 * atanh(s), s = (m-1)/(m+1), |s| <= 0.1716. */
static void log2_dd(long double x, long double *h, long double *l)
{
	int k;
	long double m = frexpl(x, &k);
	if (m < SQRT_HALF) {
		m *= 2;
		k--;
	}
	long double num = m - 1, dh, dl; /* m - 1 is exact */
	two_sum(m, 1.0L, &dh, &dl);
	long double sh = num / dh, p, pe, sl;
	two_prod(sh, dh, &p, &pe);
	sl = (((num - p) - pe) - sh * dl) / dh;
	two_sum(sh, sl, &sh, &sl);

	long double zh, zl, s3h, s3l, s5h, s5l, t3h, t3l, t5h, t5l;
	dd_mul(sh, sl, sh, sl, &zh, &zl);
	dd_mul(sh, sl, zh, zl, &s3h, &s3l);
	dd_mul(s3h, s3l, zh, zl, &s5h, &s5l);
	dd_div_int(s3h, s3l, 3, &t3h, &t3l);
	dd_div_int(s5h, s5l, 5, &t5h, &t5l);
	/* s^7/7 + s^9/9 + ... + s^33/33: below s * 2^-19, one precision is enough. */
	long double z = zh, r = 1.0L / 33;
	for (int n = 31; n >= 7; n -= 2)
		r = 1.0L / n + z * r;
	long double rest = s5h * z * r;

	long double ah, al;
	dd_add(sh, sl, t3h, t3l, &ah, &al);
	dd_add(ah, al, t5h, t5l, &ah, &al);
	dd_add(ah, al, rest, 0, &ah, &al);
	dd_mul(ah, al, TWO_OVER_LN2_H, TWO_OVER_LN2_L, &ah, &al);
	dd_add((long double)k, 0, ah, al, h, l);
}

static int is_odd_integer(long double y)
{
	return __builtin_fabsl(y) < 0x1p64L && truncl(y) == y && fmodl(y, 2.0L) != 0;
}

long double powl(long double x, long double y)
{
	if (y == 0 || x == 1)
		return 1.0L;
	if (isnan(x) || isnan(y))
		return x + y;
	long double ax = __builtin_fabsl(x);
	if (isinf(y)) {
		if (ax == 1)
			return 1.0L;
		return (ax < 1) == (y < 0) ? HUGE_VALL : 0.0L;
	}
	int odd = is_odd_integer(y);
	if (x == 0) {
		if (y < 0) {
			errno = ERANGE; /* pole error */
			return odd ? __builtin_copysignl(HUGE_VALL, x) : HUGE_VALL;
		}
		return odd ? x : 0.0L;
	}
	if (isinf(x)) {
		long double r = y < 0 ? 0.0L : HUGE_VALL;
		return odd && x < 0 ? -r : r;
	}
	if (x < 0 && truncl(y) != y) {
		errno = EDOM;
		return NAN;
	}
	long double sign = odd && x < 0 ? -1.0L : 1.0L;
	if (y == 1)
		return x;
	if (y == 2)
		return x * x; /* correctly rounded */

	long double lh, ll;
	log2_dd(ax, &lh, &ll);
	long double th = y * lh;
	if (!(__builtin_fabsl(th) < 20000)) { /* far past the range either way */
		errno = ERANGE;
		return sign * (th > 0 ? HUGE_VALL : 0.0L);
	}
	long double te;
	two_prod(y, lh, &th, &te);
	te += y * ll;
	long double n = x87_rint(th), d = th - n; /* exact */
	long double f = d + te, fl = (d - f) + te;
	long double m;
	__asm__("f2xm1" : "=t"(m) : "0"(f));
	m += fl * LN2 * (1 + m);
	long double r = x87_scale(1 + m, n);
	if (isinf(r) || r == 0)
		errno = ERANGE;
	return sign * r;
}
