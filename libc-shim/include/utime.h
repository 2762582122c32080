/* newlib's <utime.h> (struct utimbuf) plus utime itself, which libc-shim implements (libc-shim/fs/utime.c). */
#ifndef SKIFF_UTIME_H
#define SKIFF_UTIME_H

#include_next <utime.h>

int utime(const char *path, const struct utimbuf *times);

#endif
