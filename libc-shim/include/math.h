/* newlib's <math.h> plus significand/significandf, which its libm has but does not declare. */
#ifndef SKIFF_MATH_H
#define SKIFF_MATH_H

#include_next <math.h>

#if __MISC_VISIBLE
double significand(double x);
float significandf(float x);
#endif

#endif
