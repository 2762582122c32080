/* newlib's <math.h> plus significand/significandf (its libm has them undeclared) and nexttoward/nexttowardf (libc-shim/nexttoward.c). */
#ifndef SKIFF_MATH_H
#define SKIFF_MATH_H

#include_next <math.h>

#if __MISC_VISIBLE
double significand(double x);
float significandf(float x);
#endif

/* newlib declares these only where long double is double. */
double nexttoward(double x, long double y);
float nexttowardf(float x, long double y);

#endif
