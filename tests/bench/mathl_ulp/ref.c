/* Benchmark host side: reads guest.c's lines, compares each result with libquadmath and with glibc's own long-double function; prints the worst errors in ulps. */
#include <math.h>
#include <quadmath.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct fn {
	const char *name;
	__float128 (*q1)(__float128);
	long double (*g1)(long double);
	__float128 (*q2)(__float128, __float128);
	long double (*g2)(long double, long double);
};

static const struct fn fns[] = {
	{ "expl", expq, expl }, { "exp2l", exp2q, exp2l }, { "expm1l", expm1q, expm1l },
	{ "logl", logq, logl }, { "log2l", log2q, log2l }, { "log10l", log10q, log10l },
	{ "log1pl", log1pq, log1pl }, { "sinhl", sinhq, sinhl }, { "coshl", coshq, coshl },
	{ "tanhl", tanhq, tanhl }, { "asinhl", asinhq, asinhl }, { "acoshl", acoshq, acoshl },
	{ "atanhl", atanhq, atanhl }, { "sinl", sinq, sinl }, { "cosl", cosq, cosl },
	{ "tanl", tanq, tanl }, { "atanl", atanq, atanl }, { "asinl", asinq, asinl },
	{ "acosl", acosq, acosl }, { "sqrtl", sqrtq, sqrtl }, { "cbrtl", cbrtq, cbrtl },
	{ "hypotl", 0, 0, hypotq, hypotl }, { "powl", 0, 0, powq, powl }, { "atan2l", 0, 0, atan2q, atan2l },
};

/* |got - ref| in units of the last place of ref rounded to long double. */
static double ulps(long double got, __float128 ref)
{
	if (isnanq(ref) || isinfq(ref))
		return (isnan(got) && isnanq(ref)) || (long double)ref == got ? 0 : 1e30;
	int e;
	frexpl((long double)ref, &e);
	long double ulp = ldexpl(1.0L, e - 64 < -16445 ? -16445 : e - 64);
	return (double)(fabsq((__float128)got - ref) / (__float128)ulp);
}

int main(void)
{
	char line[512], name[32], range[64], a[64], b[64], c[64];
	char cur[96] = "";
	double worst = 0, gworst = 0;
	long count = 0;
	while (fgets(line, sizeof line, stdin)) {
		int k = sscanf(line, "%31s %63s %63s %63s %63s", name, range, a, b, c);
		if (k < 4)
			continue;
		char key[96];
		snprintf(key, sizeof key, "%s %s", name, range);
		if (strcmp(key, cur)) {
			if (count)
				printf("| %s | %ld | %.2f | %.2f |\n", cur, count, worst, gworst);
			snprintf(cur, sizeof cur, "%s", key);
			worst = gworst = 0;
			count = 0;
		}
		const struct fn *f = 0;
		for (size_t i = 0; i < sizeof fns / sizeof fns[0]; i++)
			if (!strcmp(fns[i].name, name))
				f = &fns[i];
		if (!f)
			continue;
		long double x = strtold(a, 0), y = strtold(b, 0), got;
		__float128 ref;
		long double mine;
		if (f->q1) {
			got = y;
			ref = f->q1(x);
			mine = f->g1(x);
		} else {
			got = strtold(c, 0);
			ref = f->q2(x, y);
			mine = f->g2(x, y);
		}
		double u = ulps(got, ref), g = ulps(mine, ref);
		worst = u > worst ? u : worst;
		gworst = g > gworst ? g : gworst;
		count++;
	}
	if (count)
		printf("| %s | %ld | %.2f | %.2f |\n", cur, count, worst, gworst);
	return 0;
}
