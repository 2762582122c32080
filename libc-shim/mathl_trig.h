/* Private to sinl/cosl/tanl: the 2/pi table and the argument reduction. */
#ifndef SKIFF_MATHL_TRIG_H
#define SKIFF_MATHL_TRIG_H

extern const unsigned long long __skiff_twoopi[275];

/* |x| = q*pi/2 + (*rh + *rl) with |rh + rl| <= ~pi/4; returns q mod 4 (x finite). */
int __skiff_rem_pio2l(long double x, long double *rh, long double *rl);

#endif
