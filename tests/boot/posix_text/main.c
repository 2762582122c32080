/* Boot test: getline of long lines, regcomp/regexec groups, iconv UTF-8 <-> Latin-1 (EILSEQ, EINVAL, E2BIG), timegm and tm_gmtoff, nexttoward, significand, getrandom, then warn/warnx/errx (format and exit status). */
#define _GNU_SOURCE
#include <err.h>
#include <errno.h>
#include <iconv.h>
#include <math.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#define CHECK(cond) do { if (!(cond)) { printf("posix_text FAIL line %d: %s (errno %d)\n", __LINE__, #cond, errno); return 1; } } while (0)

static int check_getline(void)
{
	FILE *f = fopen("/tmp/lines", "w+");
	CHECK(f);
	for (int i = 0; i < 10000; i++)
		fputc('a' + i % 26, f);
	fputs("\nshort\nlast-no-newline", f);
	rewind(f);
	char *line = NULL;
	size_t cap = 0;
	CHECK(getline(&line, &cap, f) == 10001 && cap > 10001 && line[9999] == 'a' + 9999 % 26 && line[10000] == '\n');
	CHECK(getline(&line, &cap, f) == 6 && strcmp(line, "short\n") == 0);
	CHECK(getline(&line, &cap, f) == 15 && strcmp(line, "last-no-newline") == 0);
	CHECK(getline(&line, &cap, f) == -1 && feof(f));
	rewind(f);
	CHECK(getdelim(&line, &cap, 'c', f) == 3 && strcmp(line, "abc") == 0);
	free(line);
	fclose(f);
	return 0;
}

static int check_regex(void)
{
	regex_t re;
	regmatch_t m[4];
	CHECK(regcomp(&re, "([a-z]+)@([a-z]+)\\.(com|org)", REG_EXTENDED) == 0);
	CHECK(re.re_nsub == 3);
	const char *s = "mail: alice@example.org!";
	CHECK(regexec(&re, s, 4, m, 0) == 0);
	CHECK(m[0].rm_so == 6 && m[0].rm_eo == 23);
	CHECK(m[1].rm_so == 6 && m[1].rm_eo == 11);   /* alice */
	CHECK(m[2].rm_so == 12 && m[2].rm_eo == 19);  /* example */
	CHECK(m[3].rm_so == 20 && m[3].rm_eo == 23);  /* org */
	CHECK(regexec(&re, "no address here", 0, NULL, 0) == REG_NOMATCH);
	regfree(&re);
	/* basic syntax, case-insensitive, no sub-matches */
	CHECK(regcomp(&re, "^Hel*o \\(w\\)orld$", REG_ICASE | REG_NOSUB) == 0);
	CHECK(regexec(&re, "HELLLO World", 0, NULL, 0) == 0);
	CHECK(regexec(&re, "HELLO Worlds", 0, NULL, 0) == REG_NOMATCH);
	regfree(&re);
	char msg[64];
	int e = regcomp(&re, "a(b", REG_EXTENDED);
	CHECK(e == REG_EPAREN);
	CHECK(regerror(e, &re, msg, sizeof(msg)) > 0 && (strstr(msg, "parenthes") || strchr(msg, '('))); /* newlib and glibc word it differently */
	return 0;
}

static int check_iconv(void)
{
	iconv_t cd = iconv_open("ISO-8859-1", "UTF-8");
	CHECK(cd != (iconv_t)-1);
	char in[] = "caf\xc3\xa9 \xc3\xbc" "ber", out[16];
	char *ip = in, *op = out;
	size_t il = strlen(in), ol = sizeof(out);
	CHECK(iconv(cd, &ip, &il, &op, &ol) == 0 && il == 0);
	CHECK(op - out == 9 && memcmp(out, "caf\xe9 \xfc" "ber", 9) == 0);
	/* invalid UTF-8: EILSEQ, input left at the bad byte */
	char bad[] = "ok\xff!";
	ip = bad, il = 4, op = out, ol = sizeof(out);
	CHECK(iconv(cd, &ip, &il, &op, &ol) == (size_t)-1 && errno == EILSEQ && ip == bad + 2 && il == 2);
	/* a character Latin-1 cannot hold (the euro sign) */
	char euro[] = "\xe2\x82\xac";
	ip = euro, il = 3, op = out, ol = sizeof(out);
	CHECK(iconv(cd, &ip, &il, &op, &ol) == (size_t)-1 && errno == EILSEQ && ip == euro);
	/* incomplete sequence at the end: EINVAL */
	char cut[] = "x\xc3";
	ip = cut, il = 2, op = out, ol = sizeof(out);
	CHECK(iconv(cd, &ip, &il, &op, &ol) == (size_t)-1 && errno == EINVAL && ip == cut + 1);
	/* output full: E2BIG */
	ip = in, il = strlen(in), op = out, ol = 3;
	CHECK(iconv(cd, &ip, &il, &op, &ol) == (size_t)-1 && errno == E2BIG && ip == in + 3);
	CHECK(iconv_close(cd) == 0);

	cd = iconv_open("UTF-8", "LATIN1");
	CHECK(cd != (iconv_t)-1);
	char l1[] = "\xe9t\xe9", u8[16];
	ip = l1, il = 3, op = u8, ol = sizeof(u8);
	CHECK(iconv(cd, &ip, &il, &op, &ol) == 0 && op - u8 == 5 && memcmp(u8, "\xc3\xa9t\xc3\xa9", 5) == 0);
	iconv_close(cd);

	cd = iconv_open("ASCII//TRANSLIT", "UTF-8");
	CHECK(cd != (iconv_t)-1);
	char mixed[] = "na\xc3\xafve";
	ip = mixed, il = strlen(mixed), op = out, ol = sizeof(out);
	CHECK(iconv(cd, &ip, &il, &op, &ol) == 1 && op - out == 5 && memcmp(out, "na?ve", 5) == 0);
	iconv_close(cd);

	CHECK(iconv_open("NO-SUCH-CHARSET", "UTF-8") == (iconv_t)-1 && errno == EINVAL);
	return 0;
}

static int check_time(void)
{
	struct tm tm = { .tm_year = 100, .tm_mon = 1, .tm_mday = 29, .tm_hour = 12 }; /* 2000-02-29 12:00 */
	CHECK(timegm(&tm) == 951825600);
	CHECK(tm.tm_wday == 2 && tm.tm_yday == 59 && tm.tm_gmtoff == 0);
	struct tm tm2 = { .tm_year = 70, .tm_mon = 0, .tm_mday = 1 };
	CHECK(timegm(&tm2) == 0);
	struct tm tm3 = { .tm_year = 138, .tm_mon = 0, .tm_mday = 19, .tm_hour = 3, .tm_min = 14, .tm_sec = 8 };
	CHECK(timegm(&tm3) == 2147483648LL); /* one past INT32_MAX: time_t is 64 bits */
	struct tm tm4 = { .tm_year = 124, .tm_mon = 13, .tm_mday = 1 }; /* month 13 of 2024 = 2025-02-01 */
	CHECK(timegm(&tm4) == 1738368000 && tm4.tm_year == 125 && tm4.tm_mon == 1);
	struct tm tm5 = { .tm_year = 69, .tm_mon = 11, .tm_mday = 31, .tm_hour = 23, .tm_min = 59, .tm_sec = 59 };
	CHECK(timegm(&tm5) == -1); /* a real second, not an error */

	time_t t = 1000000000;
	struct tm *g = gmtime(&t);
	CHECK(g->tm_gmtoff == 0 && strcmp(g->tm_zone, "GMT") == 0);
	setenv("TZ", "EST5EDT", 1);
	tzset();
	struct tm lt;
	time_t summer = 1751328000; /* 2025-07-01 00:00 UTC: daylight time */
	CHECK(localtime_r(&summer, &lt) && lt.tm_isdst == 1 && lt.tm_gmtoff == -4 * 3600 && strcmp(lt.tm_zone, "EDT") == 0);
	time_t winter = 1735689600; /* 2025-01-01 00:00 UTC */
	CHECK(localtime(&winter)->tm_gmtoff == -5 * 3600 && strcmp(localtime(&winter)->tm_zone, "EST") == 0);
	struct tm mk = { .tm_year = 125, .tm_mon = 0, .tm_mday = 1, .tm_isdst = -1 };
	CHECK(mktime(&mk) == 1735707600 && mk.tm_gmtoff == -5 * 3600);
	setenv("TZ", "UTC0", 1);
	tzset();
	return 0;
}

static int check_math(void)
{
	CHECK(nexttoward(1.0, 2.0L) == 1.0 + 0x1p-52);
	CHECK(nexttoward(1.0, 0.0L) == 1.0 - 0x1p-53);
	CHECK(nexttoward(1.0, 1.0L) == 1.0);
	/* y just above x in long double only: still steps up */
	CHECK(nexttoward(1.0, 1.0L + 0x1p-60L) == 1.0 + 0x1p-52);
	CHECK(nexttowardf(1.0f, 2.0L) == 1.0f + 0x1p-23f);
	CHECK(isnan(nexttoward(NAN, 1.0L)));
	CHECK(significand(12.0) == 1.5 && significand(0.375) == 1.5 && significandf(10.0f) == 1.25f);
	return 0;
}

static int check_random(void)
{
	unsigned char a[1000], b[1000];
	CHECK(getrandom(a, sizeof(a), 0) == (ssize_t)sizeof(a));
	CHECK(getrandom(b, sizeof(b), GRND_NONBLOCK) == (ssize_t)sizeof(b));
	CHECK(memcmp(a, b, sizeof(a)) != 0);
	int zeros = 0;
	for (size_t i = 0; i < sizeof(a); i++)
		zeros += a[i] == 0;
	CHECK(zeros < 30); /* ~4 expected */
	CHECK(getrandom(a, 1, 0x80) == -1 && errno == EINVAL);
	return 0;
}

int main(void)
{
	if (check_getline() || check_regex() || check_iconv() || check_time() || check_math() ||
	    check_random())
		return 1;
	printf("posix_text ok\n");
	fflush(stdout);
	errno = ENOENT;
	warn("warn %s", "here");
	warnx("warnx %d", 7);
	errno = EACCES;
	warn(NULL);
	errx(3, "errx %s", "last");
}
