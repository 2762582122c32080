/* Boot test: long-double math, strtold, printf and scanf at long-double precision, from run-time inputs (tests/ports/test_longdouble.py compares it with glibc). */
#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

/* Inputs through volatiles so gcc cannot fold the calls at compile time. */
static volatile long double v_half = 0.5L, v_one = 1.0L, v_two = 2.0L, v_three = 3.0L;
static volatile long double v_e18 = 1e18L, v_m25 = -2.5L, v_25 = 2.5L, v_35 = 3.5L;
static volatile long double v_m03 = -0.3L, v_big = 1e4000L, v_tiny = 1e-4940L;
static volatile long double v_zero = 0.0L, v_inf = INFINITY, v_nan = NAN;

#define X(name, expr) printf("%-28s %.21Lg\n", name, (long double)(expr)) /* exact results */
#define T(name, expr) printf("%-28s %.18Lg\n", name, (long double)(expr)) /* transcendental */
#define I(name, expr) printf("%-28s %lld\n", name, (long long)(expr))

static void err(const char *name, long double r)
{
	printf("%-28s %s %s\n", name, isnan(r) ? "nan" : isinf(r) ? (r > 0 ? "inf" : "-inf") : "num",
	       errno == EDOM ? "EDOM" : errno == ERANGE ? "ERANGE" : errno ? "other" : "0");
	errno = 0;
}

static void rounding(void)
{
	long double h = v_e18 + v_half; /* 1e18 + 0.5: exact in 64 bits, not in double */
	X("ceill(1e18+0.5)", ceill(h));
	X("floorl(-1e18-0.5)", floorl(-h));
	X("truncl(-1e18-0.5)", truncl(-h));
	X("roundl(1e18+0.5)", roundl(h));
	X("roundl(-2.5)", roundl(v_m25));
	X("roundl(-0.3)", roundl(v_m03));
	X("ceill(-0.3)", ceill(v_m03));
	X("rintl(2.5)", rintl(v_25));
	X("rintl(3.5)", rintl(v_35));
	X("nearbyintl(-2.5)", nearbyintl(v_m25));
	X("nearbyintl(1e18+0.5)", nearbyintl(h));
	I("llroundl(-2.5)", llroundl(v_m25));
	I("lroundl(1e18+0.5)", lroundl(h));
	I("llroundl(2^62-0.5)", llroundl(ldexpl(v_one, 62) - v_half));
	I("llrintl(2.5)", llrintl(v_25));
	I("lrintl(-3.5)", lrintl(-v_35));
	X("floorl(inf)", floorl(v_inf));
}

static void sign_and_neighbours(void)
{
	X("fabsl(-1e4000)", fabsl(-v_big));
	X("copysignl(3,-0)", copysignl(v_three, -v_zero));
	X("fminl(nan,2)", fminl(v_nan, v_two));
	X("fmaxl(1,nan)", fmaxl(v_one, v_nan));
	X("fminl(1,2)", fminl(v_one, v_two));
	X("fmaxl(1,2)", fmaxl(v_one, v_two));
	X("fdiml(3,1e18+.5)", fdiml(v_three, v_e18 + v_half));
	X("fdiml(1e18+.5,3)", fdiml(v_e18 + v_half, v_three));
	X("nextafterl(1,2)", nextafterl(v_one, v_two));
	X("nextafterl(1,0)", nextafterl(v_one, v_zero));
	X("nextafterl(0,-1)", nextafterl(v_zero, -v_one));
	X("nextafterl(max,inf)", nextafterl(LDBL_MAX * v_one, v_inf));
	X("nextafterl(inf,0)", nextafterl(v_inf, v_zero));
	X("nextafterl(min,0)", nextafterl(LDBL_MIN * v_one, v_zero));
	X("nexttowardl(-1,-2)", nexttowardl(-v_one, -v_two));
	X("nexttoward(1.0,1+2^-60)", nexttoward((double)v_one, v_one + ldexpl(v_one, -60)));
	X("nexttoward(1.0,1)", nexttoward((double)v_one, v_one));
	X("nexttowardf(1.0f,0)", nexttowardf((float)v_one, v_zero));
	errno = 0;
}

static void exponents(void)
{
	int e;
	long double ip;
	X("ldexpl(1,-16445)", ldexpl(v_one, -16445));
	X("scalbnl(1.5,16383)", scalbnl(v_three / 2, 16383));
	X("scalblnl(1e4000,-13000)", scalblnl(v_big, -13000L));
	X("frexpl(1e4000)", frexpl(v_big, &e));
	I("  exponent", e);
	X("frexpl(1e-4940)", frexpl(v_tiny, &e));
	I("  exponent", e);
	X("logbl(1e4000)", logbl(v_big));
	I("ilogbl(1e-4940)", ilogbl(v_tiny));
	I("ilogbl(0)==FP_ILOGB0", ilogbl(v_zero) == FP_ILOGB0);
	X("modfl(-3.75)", modfl(-v_three - 0.75L, &ip));
	X("  integral", ip);
	X("modfl(1e18+0.5)", modfl(v_e18 + v_half, &ip));
	X("  integral", ip);
	errno = 0;
}

static void remainders(void)
{
	int q;
	X("fmodl(1e4000,3)", fmodl(v_big, v_three));
	X("fmodl(-7.5,2)", fmodl(-v_35 - 4, v_two));
	X("fmodl(1,inf)", fmodl(v_one, v_inf));
	X("remainderl(5.5,2)", remainderl(v_25 + 3, v_two));
	X("remainderl(1e18+0.5,3)", remainderl(v_e18 + v_half, v_three));
	X("remquol(-7.5,2)", remquol(-v_35 - 4, v_two, &q));
	I("  quotient low bits", q & 7);
	I("  quotient sign", q < 0);
	X("remquol(1e18+0.5,3)", remquol(v_e18 + v_half, v_three, &q));
	I("  quotient", q);
	X("remquol(12345.678,-0.7)", remquol(v_one * 12345.678L, -0.7L * v_one, &q));
	I("  quotient", q);
	X("remquol(7,2)", remquol(v_three + 4, v_two, &q));
	I("  quotient", q);
	X("sqrtl(2)", sqrtl(v_two));
	X("sqrtl(1e4000)", sqrtl(v_big));
	X("cbrtl(-27)", cbrtl(-9 * v_three));
	X("cbrtl(3)", cbrtl(v_three));
	X("cbrtl(2^-16443)", cbrtl(ldexpl(v_one, -16443))); /* subnormal in, exact out */
	X("hypotl(3,4)", hypotl(v_three, v_three + 1));
	X("hypotl(3*2^16000,4*2^16000)", hypotl(ldexpl(v_three, 16000), ldexpl(v_three + 1, 16000)));
	X("hypotl(1e-4940,1e-4940)/1e-4940", hypotl(v_tiny, v_tiny) / v_tiny);
	X("hypotl(inf,nan)", hypotl(v_inf, v_nan));
	errno = 0;
}

static void transcendental(void)
{
	T("expl(1)", expl(v_one));
	T("expl(-1)", expl(-v_one));
	T("expl(11000)", expl(v_big / v_big * 11000));
	T("expl(-11000)", expl(-11000 * v_one));
	T("expl(1e-10)", expl(v_one * 1e-10L));
	X("exp2l(10)", exp2l(v_two * 5));
	T("exp2l(0.5)", exp2l(v_half));
	X("exp2l(-16440)", exp2l(-16440 * v_one));
	T("expm1l(1e-10)", expm1l(v_one * 1e-10L));
	T("expm1l(-0.5)", expm1l(-v_half));
	T("expm1l(3)", expm1l(v_three));
	X("powl(2,10)", powl(v_two, 10 * v_one));
	X("powl(-3,3)", powl(-v_three, v_three));
	T("powl(1.23,45.6)", powl(v_one * 1.23L, v_one * 45.6L));
	T("powl(1+2^-60,2^62)", powl(v_one + ldexpl(v_one, -60), ldexpl(v_one, 62)));
	T("powl(1e4000,-1.2)", powl(v_big, -1.2L * v_one));
	X("powl(-0,-3)", powl(-v_zero, -v_three));
	X("powl(-1,inf)", powl(-v_one, v_inf));
	X("powl(nan,0)", powl(v_nan, v_zero));
	T("logl(2)", logl(v_two));
	T("logl(1+1e-10)", logl(v_one + 1e-10L));
	T("logl(1e4000)", logl(v_big));
	X("log2l(2^-16400)", log2l(ldexpl(v_one, -16400)));
	T("log2l(3)", log2l(v_three));
	T("log10l(1e-4940)", log10l(v_tiny));
	T("log10l(2)", log10l(v_two));
	T("log1pl(1e-10)", log1pl(v_one * 1e-10L));
	T("log1pl(1.5)", log1pl(v_three / 2));
	T("log1pl(-0.4)", log1pl(-0.4L * v_one));
	T("sinhl(0.5)", sinhl(v_half));
	T("sinhl(-30)", sinhl(-30 * v_one));
	T("coshl(0.1)", coshl(v_one / 10));
	T("coshl(30)", coshl(30 * v_one));
	T("tanhl(0.1)", tanhl(v_one / 10));
	T("tanhl(-5)", tanhl(-5 * v_one));
	T("asinhl(1e5)", asinhl(v_one * 1e5L));
	T("asinhl(-0.5)", asinhl(-v_half));
	T("acoshl(1.5)", acoshl(v_three / 2));
	T("acoshl(1e10)", acoshl(v_one * 1e10L));
	T("atanhl(0.3)", atanhl(v_one * 0.3L));
	T("atanhl(-0.9)", atanhl(v_one * -0.9L));
	T("sinl(1)", sinl(v_one));
	T("sinl(pi)", sinl(v_three + 0.14159265358979323846L));
	T("cosl(1e22)", cosl(v_one * 1e22L));
	T("sinl(1e4000)", sinl(v_big));
	T("cosl(-0.5)", cosl(-v_half));
	T("tanl(1.5)", tanl(v_three / 2));
	T("tanl(-1e300)", tanl(-1e300L * v_one));
	X("sinl(-0)", sinl(-v_zero));
	T("atanl(1)", atanl(v_one));
	T("atanl(1e-5)", atanl(v_one * 1e-5L));
	T("atan2l(-0,-1)", atan2l(-v_zero, -v_one));
	T("atan2l(1,-2)", atan2l(v_one, -v_two));
	T("asinl(0.5)", asinl(v_half));
	T("asinl(-0.999)", asinl(v_one * -0.999L));
	T("acosl(-1)", acosl(-v_one));
	T("acosl(0.999)", acosl(v_one * 0.999L));
}

static void errors(void)
{
	errno = 0;
	err("logl(0)", logl(v_zero));
	err("logl(-1)", logl(-v_one));
	err("log1pl(-1)", log1pl(-v_one));
	err("log1pl(-2)", log1pl(-v_two));
	err("sqrtl(-1)", sqrtl(-v_one));
	err("expl(20000)", expl(20000 * v_one));
	err("expl(-20000)", expl(-20000 * v_one));
	err("expl(inf)", expl(v_inf));
	err("expm1l(-inf)", expm1l(-v_inf));
	err("fmodl(1,0)", fmodl(v_one, v_zero));
	err("remainderl(inf,1)", remainderl(v_inf, v_one));
	err("acosl(2)", acosl(v_two));
	err("sinl(inf)", sinl(v_inf));
	err("powl(-2,0.5)", powl(-v_two, v_half));
	err("powl(0,-1)", powl(v_zero, -v_one));
	err("powl(10,20000)", powl(10 * v_one, 20000 * v_one));
	err("powl(10,-20000)", powl(10 * v_one, -20000 * v_one));
	err("tanl(-inf)", tanl(-v_inf));
	err("atanhl(1)", atanhl(v_one));
	err("acoshl(0.5)", acoshl(v_half));
	err("hypotl(max,max)", hypotl(LDBL_MAX * v_one, LDBL_MAX * v_one));
	err("expl(nan)", expl(v_nan));
	err("logl(inf)", logl(v_inf));
	X("coshl(-inf)", coshl(-v_inf));
	X("tanhl(-inf)", tanhl(-v_inf));
	X("asinhl(-inf)", asinhl(-v_inf));
	X("expm1l(-0)", expm1l(-v_zero));
	X("log1pl(-0)", log1pl(-v_zero));
	X("atanl(-0)", atanl(-v_zero));
}

static void io(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		char *end;
		long double v = strtold(argv[i], &end);
		printf("strtold(%s) %.21Lg rest [%s]\n", argv[i], v, end);
		printf("  %%Lf %Lf %%.17Lf %.17Lf %%Le %Le %%Lg %Lg\n", v, v, v, v);
		printf("  %%.25Le %.25Le\n", v);
	}
	long double s = 0, t = 0, u = 0;
	int n = sscanf("3.14159265358979323846264 -1.5e-4000 6.02214076e23", "%Lf %Le %Lg", &s, &t, &u);
	printf("sscanf %d %.21Lg %.21Lg %.21Lg\n", n, s, t, u);
	/* Redis's INCRBYFLOAT: a sum printed with %.17Lf, trailing zeros stripped. */
	long double sum = v_zero + strtold("1.23", 0);
	char buf[64];
	snprintf(buf, sizeof buf, "%.17Lf", sum);
	printf("incrbyfloat %s\n", buf);
	printf("digits %d %d %.21Lg\n", LDBL_MANT_DIG, LDBL_MAX_EXP, LDBL_EPSILON * v_one);
	printf("%%La 1.23: %La\n", 1.23L * v_one); /* the hex form is checked as a value */
}

int main(int argc, char **argv)
{
	rounding();
	sign_and_neighbours();
	exponents();
	remainders();
	transcendental();
	errors();
	io(argc, argv);
	return 0;
}
