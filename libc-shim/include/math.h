/* newlib's <math.h> plus prototypes for the long-double functions libc-shim implements (newlib declares them only where long double is double) and significand (its libm has it undeclared). */
#ifndef SKIFF_MATH_H
#define SKIFF_MATH_H

#include_next <math.h>

#if __MISC_VISIBLE
double significand(double x);
float significandf(float x);
#endif

/* x86-64's long double is the x87 80-bit type, so newlib leaves these out. Each one
 * below is accurate to long-double precision (libc-shim/mathl_*.c). The rest of C's
 * *l functions (fmal, erfl, erfcl, lgammal, tgammal) are
 * neither declared nor defined: a program that calls one fails to compile or link
 * instead of getting double-precision or garbage results. */
#if __ISO_C_VISIBLE >= 1999
long double floorl(long double);
long double ceill(long double);
long double truncl(long double);
long double roundl(long double);
long double rintl(long double);
long double nearbyintl(long double);
long lrintl(long double);
long long llrintl(long double);
long lroundl(long double);
long long llroundl(long double);

long double fabsl(long double);
long double copysignl(long double, long double);
long double fminl(long double, long double);
long double fmaxl(long double, long double);
long double fdiml(long double, long double);
long double nextafterl(long double, long double);
long double nexttowardl(long double, long double);
double nexttoward(double, long double);
float nexttowardf(float, long double);

long double ldexpl(long double, int);
long double scalbnl(long double, int);
long double scalblnl(long double, long);
long double frexpl(long double, int *);
long double logbl(long double);
int ilogbl(long double);
long double modfl(long double, long double *);

long double fmodl(long double, long double);
long double remainderl(long double, long double);
long double remquol(long double, long double, int *);
long double sqrtl(long double);
long double hypotl(long double, long double);
long double cbrtl(long double);
long double powl(long double, long double);

long double expl(long double);
long double exp2l(long double);
long double expm1l(long double);
long double logl(long double);
long double log2l(long double);
long double log10l(long double);
long double log1pl(long double);

long double sinhl(long double);
long double coshl(long double);
long double tanhl(long double);
long double asinhl(long double);
long double acoshl(long double);
long double atanhl(long double);

long double sinl(long double);
long double cosl(long double);
long double tanl(long double);
long double atanl(long double);
long double atan2l(long double, long double);
long double asinl(long double);
long double acosl(long double);
#endif

#endif
