/* newlib's <time.h> plus glibc's name `timezone` for newlib's _timezone (seconds west of UTC, set by tzset). */
#ifndef SKIFF_TIME_H
#define SKIFF_TIME_H

#include_next <time.h>

/* The same object under glibc's name (an assembler alias: no macro, so
 * `struct timezone` is untouched). */
extern long timezone __asm__("_timezone");

#endif
