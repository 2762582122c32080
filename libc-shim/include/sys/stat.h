/* newlib's <sys/stat.h> plus lstat, which libc-shim implements (no symbolic links: it is stat). */
#ifndef SKIFF_SYS_STAT_H
#define SKIFF_SYS_STAT_H

#include_next <sys/stat.h>

/* newlib declares lstat only for Cygwin, RTEMS and SPU. */
#if __POSIX_VISIBLE >= 200112 || __BSD_VISIBLE || __XSI_VISIBLE
int lstat(const char *__restrict path, struct stat *__restrict buf);
#endif

#endif
