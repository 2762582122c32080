/* newlib's <sys/stat.h> plus lstat (no symbolic links: it is stat) and utimensat's UTIME_NOW/UTIME_OMIT, which libc-shim implements. */
#ifndef SKIFF_SYS_STAT_H
#define SKIFF_SYS_STAT_H

#include_next <sys/stat.h>

/* newlib declares lstat only for Cygwin, RTEMS and SPU. */
#if __POSIX_VISIBLE >= 200112 || __BSD_VISIBLE || __XSI_VISIBLE
int lstat(const char *__restrict path, struct stat *__restrict buf);
#endif

/* newlib defines these for Cygwin only; Linux's values. */
#ifndef UTIME_NOW
#define UTIME_NOW ((1l << 30) - 1l)
#define UTIME_OMIT ((1l << 30) - 2l)
#endif

#endif
