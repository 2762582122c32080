/* Long-double argument reduction modulo pi/2 for sinl/cosl/tanl, exact at every magnitude (Payne-Hanek with the bits of 2/pi). */
#include <math.h>
#include <stdint.h>
#include "mathl_trig.h"
#include "mathl_x87.h"

typedef unsigned __int128 u128;

/* pi/2 = PIO2_1 + PIO2_2 to about 128 bits. */
#define PIO2_1 0xc90fdaa22168c235p-63L
#define PIO2_2 -0xece675d1fc8f8cbbp-129L

#define LIMBS 6 /* acc[k] holds the bits of weight 2^(64k-320) .. 2^(64k-257) */

/* acc += t * 2^(s - 320): t's lowest bit lands at bit s of the accumulator. */
static void add_shifted(uint64_t *acc, u128 t, int s)
{
	uint64_t part[3];
	int limb = s >= 0 ? s / 64 : -((63 - s) / 64), bit = s - 64 * limb;
	part[0] = (uint64_t)(t << bit);
	part[1] = bit ? (uint64_t)(t >> (64 - bit)) : (uint64_t)(t >> 64);
	part[2] = bit ? (uint64_t)(t >> (128 - bit)) : 0;
	uint64_t carry = 0;
	for (int k = limb; k < LIMBS; k++) {
		uint64_t add = k - limb < 3 ? part[k - limb] : 0;
		if (k < 0) /* below the accumulator: dropped (under 2^-320) */
			continue;
		u128 sum = (u128)acc[k] + add + carry;
		acc[k] = (uint64_t)sum;
		carry = (uint64_t)(sum >> 64);
		if (k - limb >= 2 && !carry)
			break;
	}
}

int __skiff_rem_pio2l(long double x, long double *rh, long double *rl)
{
	union ldbits u = { .f = __builtin_fabsl(x) };
	int ex = (u.b.se & LD_EXP_MASK) - 16383 - 63; /* |x| = m * 2^ex */
	uint64_t m = u.b.m;
	if ((u.b.se & LD_EXP_MASK) == 0)
		ex++; /* subnormal: the exponent field 0 means 2^-16382 */

	/* m * 2^ex * 2/pi mod 4, with 2/pi = sum of w[i] * 2^(-64(i+1)). Words whose
	 * product lies wholly above 2^2 only add multiples of 4 and are skipped. */
	uint64_t acc[LIMBS] = { 0 };
	int first = (ex - 2) / 64 - 1;
	if (first < 0)
		first = 0;
	for (int i = first; i < 275; i++) {
		int s = ex - 64 * (i + 1) + 320;
		if (s + 128 <= 0)
			break;
		add_shifted(acc, (u128)m * __skiff_twoopi[i], s);
	}
	int q = (int)(acc[5] & 3);
	/* The fraction in acc[4] (2^-1..2^-64), acc[3], acc[2]; at 1/2 or more, take the
	 * next quadrant and a negative remainder. */
	int neg = (acc[4] >> 63) != 0;
	if (neg) {
		q = (q + 1) & 3;
		acc[2] = ~acc[2];
		acc[3] = ~acc[3];
		acc[4] = ~acc[4];
		if (++acc[2] == 0 && ++acc[3] == 0) /* two's complement of the fraction */
			++acc[4];
	}
	long double fh = x87_scale((long double)acc[4], -64.0L);
	long double fm = x87_scale((long double)acc[3], -128.0L);
	long double fl = x87_scale((long double)acc[2], -192.0L);
	long double f, ft;
	two_sum(fh, fm, &f, &ft);
	ft += fl;
	/* (f + ft) * pi/2 in two parts. */
	long double p, pe;
	two_prod(f, PIO2_1, &p, &pe);
	pe += f * PIO2_2 + ft * PIO2_1;
	two_sum(p, pe, rh, rl);
	if (neg) {
		*rh = -*rh;
		*rl = -*rl;
	}
	return q;
}
