/* timegm, and newlib's broken-down time calls with struct tm's tm_gmtoff and tm_zone filled in (newlib's own build leaves them out). */
#define SKIFF_TM_NO_WRAP
#include <errno.h>
#include <limits.h>
#include <time.h>

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar (m 1..12). */
static long long days_from_civil(long long y, int m, int d)
{
	y -= m <= 2;
	long long era = (y >= 0 ? y : y - 399) / 400;
	long long yoe = y - era * 400;                           /* [0, 399] */
	long long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1; /* [0, 365] */
	long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;   /* [0, 146096] */
	return era * 146097 + doe - 719468;
}

time_t timegm(struct tm *tm)
{
	/* Normalise the month first so that out-of-range months roll the year. */
	long long mon = tm->tm_mon, year = (long long)tm->tm_year + 1900;
	year += mon / 12;
	mon %= 12;
	if (mon < 0) {
		mon += 12;
		year--;
	}
	long long days = days_from_civil(year, (int)mon + 1, 1) + tm->tm_mday - 1;
	long long secs = days * 86400 + (long long)tm->tm_hour * 3600 +
			 (long long)tm->tm_min * 60 + tm->tm_sec;
	time_t t = (time_t)secs;
	struct tm norm;
	if (!gmtime_r(&t, &norm)) {
		errno = EOVERFLOW;
		return (time_t)-1;
	}
	norm.tm_gmtoff = 0;
	norm.tm_zone = "GMT";
	*tm = norm;
	return t;
}

/* tm (local time for t) gets its offset from UTC and its zone's name. */
static struct tm *zone_fill(struct tm *tm, time_t t)
{
	if (!tm)
		return NULL;
	struct tm copy = *tm;
	copy.tm_isdst = 0;
	/* what the wall-clock fields would mean in UTC, minus the real instant */
	tm->tm_gmtoff = (long)(timegm(&copy) - t);
	tm->tm_zone = _tzname[tm->tm_isdst > 0];
	return tm;
}

struct tm *__skiff_gmtime_r(const time_t *restrict t, struct tm *restrict tm)
{
	if (!gmtime_r(t, tm))
		return NULL;
	tm->tm_gmtoff = 0;
	tm->tm_zone = "GMT";
	return tm;
}

struct tm *__skiff_localtime_r(const time_t *restrict t, struct tm *restrict tm)
{
	return zone_fill(localtime_r(t, tm), *t);
}

/* gmtime and localtime share one static result, as in newlib and glibc. */
static struct tm static_tm;

struct tm *__skiff_gmtime(const time_t *t)
{
	return __skiff_gmtime_r(t, &static_tm);
}

struct tm *__skiff_localtime(const time_t *t)
{
	return __skiff_localtime_r(t, &static_tm);
}

time_t __skiff_mktime(struct tm *tm)
{
	time_t t = mktime(tm);

	zone_fill(tm, t);
	return t;
}
