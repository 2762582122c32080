/* Long-double sine, cosine and tangent: exact reduction (mathl_rem_pio2.c), then Taylor kernels on |r| <= pi/4. */
#include <errno.h>
#include <math.h>
#include "mathl_trig.h"

/* sin(r) for r = rh + rl: rh + rh*z*S(z) + rl*(1 - z/2), z = rh^2. */
static long double sin_kernel(long double rh, long double rl)
{
	long double z = rh * rh;
	long double s = -1.6666666666666666666666667E-1L + z * (8.3333333333333333333333333E-3L +
		z * (-1.9841269841269841269841270E-4L + z * (2.7557319223985890652557319E-6L +
		z * (-2.5052108385441718775052108E-8L + z * (1.6059043836821614599392377E-10L +
		z * (-7.6471637318198164759011320E-13L + z * (2.8114572543455207631989456E-15L +
		z * (-8.2206352466243297169559812E-18L + z * (1.9572941063391261230847574E-20L +
		z * -3.8681701706306840377169119E-23L)))))))));
	return rh + (rh * z * s + rl * (1 - 0.5L * z));
}

/* cos(r) for r = rh + rl: 1 - z/2 (with its rounding carried) + z^2*C(z) - rh*rl. */
static long double cos_kernel(long double rh, long double rl)
{
	long double z = rh * rh, hz = 0.5L * z, w = 1 - hz;
	long double c = 4.1666666666666666666666667E-2L + z * (-1.3888888888888888888888889E-3L +
		z * (2.4801587301587301587301587E-5L + z * (-2.7557319223985890652557319E-7L +
		z * (2.0876756987868098979210090E-9L + z * (-1.1470745597729724713851698E-11L +
		z * (4.7794773323873852974382075E-14L + z * (-1.5619206968586226462216364E-16L +
		z * (4.1103176233121648584779906E-19L + z * (-8.8967913924505732867488974E-22L +
		z * 1.6117375710961183490487133E-24L)))))))));
	return w + (((1 - w) - hz) + (z * z * c - rh * rl));
}

static int trig_special(long double x, long double *r)
{
	if (isnan(x)) {
		*r = x + x;
		return 1;
	}
	if (isinf(x)) {
		errno = EDOM;
		*r = NAN;
		return 1;
	}
	return 0;
}

long double sinl(long double x)
{
	long double r, rh, rl;
	if (trig_special(x, &r))
		return r;
	if (__builtin_fabsl(x) < 0x1p-33L)
		return x;
	int q = __skiff_rem_pio2l(x, &rh, &rl);
	r = q & 1 ? cos_kernel(rh, rl) : sin_kernel(rh, rl);
	if (q & 2)
		r = -r;
	return signbit(x) ? -r : r;
}

long double cosl(long double x)
{
	long double r, rh, rl;
	if (trig_special(x, &r))
		return r;
	if (__builtin_fabsl(x) < 0x1p-33L)
		return 1.0L;
	int q = __skiff_rem_pio2l(x, &rh, &rl);
	r = q & 1 ? sin_kernel(rh, rl) : cos_kernel(rh, rl);
	return (q + 1) & 2 ? -r : r;
}

long double tanl(long double x)
{
	long double r, rh, rl;
	if (trig_special(x, &r))
		return r;
	if (__builtin_fabsl(x) < 0x1p-33L)
		return x;
	int q = __skiff_rem_pio2l(x, &rh, &rl);
	long double s = sin_kernel(rh, rl), c = cos_kernel(rh, rl);
	r = q & 1 ? -c / s : s / c;
	return signbit(x) ? -r : r;
}
