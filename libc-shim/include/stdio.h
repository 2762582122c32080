/* newlib's <stdio.h> plus the POSIX 2008 calls it only names as __getline/__getdelim. */
#ifndef SKIFF_STDIO_H
#define SKIFF_STDIO_H

#include_next <stdio.h>

#if __POSIX_VISIBLE >= 200809 || __GNU_VISIBLE || !defined(__STRICT_ANSI__)
ssize_t getdelim(char **__restrict, size_t *__restrict, int, FILE *__restrict);
ssize_t getline(char **__restrict, size_t *__restrict, FILE *__restrict);
#endif

#endif
