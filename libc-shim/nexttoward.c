/* nexttoward and nexttowardf: the next representable value after x toward a long double y (newlib's libm declares them but has no x86-64 build). */
#include <math.h>

double nexttoward(double x, long double y)
{
	if (isnan(x) || isnan(y))
		return (double)((long double)x + y);
	if ((long double)x == y)
		return (double)y;
	return nextafter(x, (long double)x < y ? INFINITY : -INFINITY);
}

float nexttowardf(float x, long double y)
{
	if (isnan(x) || isnan(y))
		return (float)((long double)x + y);
	if ((long double)x == y)
		return (float)y;
	return nextafterf(x, (long double)x < y ? INFINITY : -INFINITY);
}
