/* Private helpers for the long-double math files: the x87 80-bit format and its rounding control. */
#ifndef SKIFF_MATHL_X87_H
#define SKIFF_MATHL_X87_H

#include <stdint.h>

/* The x87 extended format: 64-bit significand with an explicit integer bit,
 * then sign and 15-bit biased exponent. */
union ldbits {
	long double f;
	struct {
		uint64_t m;
		uint16_t se;
	} b;
};

#define LD_EXP_MASK 0x7fff
#define LD_SIGN 0x8000
#define LD_TOP 0x8000000000000000ULL

/* x87 control-word rounding fields (bits 10-11). */
#define X87_RC_MASK 0x0c00
#define X87_RC_NEAREST 0x0000
#define X87_RC_DOWN 0x0400
#define X87_RC_UP 0x0800
#define X87_RC_ZERO 0x0c00

static inline unsigned short x87_getcw(void)
{
	unsigned short cw;
	__asm__ volatile("fnstcw %0" : "=m"(cw));
	return cw;
}

static inline void x87_setcw(unsigned short cw)
{
	__asm__ volatile("fldcw %0" : : "m"(cw));
}

/* frndint under the given rounding field (the caller's mode is restored). */
static inline long double x87_round_mode(long double x, unsigned short rc)
{
	unsigned short cw = x87_getcw();
	x87_setcw((unsigned short)((cw & ~X87_RC_MASK) | rc));
	__asm__ volatile("frndint" : "+t"(x));
	x87_setcw(cw);
	return x;
}

/* frndint under the current rounding mode. */
static inline long double x87_rint(long double x)
{
	__asm__ volatile("frndint" : "+t"(x));
	return x;
}

/* x * 2^n for an integral long double n (fscale). */
static inline long double x87_scale(long double x, long double n)
{
	__asm__("fscale" : "+t"(x) : "u"(n));
	return x;
}

/* Exact product a*b = hi + lo (Veltkamp split into 32-bit halves, Dekker product). */
static inline void two_prod(long double a, long double b, long double *hi, long double *lo)
{
	const long double split = 4294967297.0L; /* 2^32 + 1 */
	long double ca = split * a, cb = split * b;
	long double ah = ca - (ca - a), al = a - ah;
	long double bh = cb - (cb - b), bl = b - bh;
	*hi = a * b;
	*lo = ((ah * bh - *hi) + ah * bl + al * bh) + al * bl;
}

/* Exact sum a+b = hi + lo (Knuth's two-sum). */
static inline void two_sum(long double a, long double b, long double *hi, long double *lo)
{
	long double s = a + b, bb = s - a;
	*hi = s;
	*lo = (a - (s - bb)) + (b - bb);
}

/* e^x * 2^k, accurate to about one unit in the last place (mathl_exp.c). */
long double __skiff_expl_scaled(long double x, int k);

#endif
