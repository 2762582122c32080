/* newlib's <time.h> plus glibc's name `timezone`, timegm, and struct tm's tm_gmtoff/tm_zone (filled by the wrappers below). */
#ifndef SKIFF_TIME_H
#define SKIFF_TIME_H

/* newlib's struct tm grows these two members at its end when asked to. */
#define __TM_GMTOFF tm_gmtoff
#define __TM_ZONE tm_zone

#include_next <time.h>

/* The same object under glibc's name (an assembler alias: no macro, so
 * `struct timezone` is untouched). */
extern long timezone __asm__("_timezone");

/* The inverse of gmtime: seconds since the epoch of a UTC struct tm (normalised in place). */
time_t timegm(struct tm *tm);

/* newlib itself was built without tm_gmtoff/tm_zone: these calls go
 * through libc-shim/tm_zone.c, which fills them (libc-shim's own sources
 * that wrap newlib define SKIFF_TM_NO_WRAP). */
#ifndef SKIFF_TM_NO_WRAP
struct tm *__skiff_gmtime(const time_t *t);
struct tm *__skiff_localtime(const time_t *t);
struct tm *__skiff_gmtime_r(const time_t *__restrict t, struct tm *__restrict tm);
struct tm *__skiff_localtime_r(const time_t *__restrict t, struct tm *__restrict tm);
time_t __skiff_mktime(struct tm *tm);
#define gmtime __skiff_gmtime
#define localtime __skiff_localtime
#define gmtime_r __skiff_gmtime_r
#define localtime_r __skiff_localtime_r
#define mktime __skiff_mktime
#endif

#endif
