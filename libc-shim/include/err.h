/* BSD/glibc <err.h>: warn, warnx, err, errx and their va_list forms (libc-shim/err.c). */
#ifndef SKIFF_ERR_H
#define SKIFF_ERR_H

#include <stdarg.h>

void warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void warnc(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void vwarn(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));
void vwarnc(int code, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
void vwarnx(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));
void err(int status, const char *fmt, ...) __attribute__((noreturn, format(printf, 2, 3)));
void errc(int status, int code, const char *fmt, ...) __attribute__((noreturn, format(printf, 3, 4)));
void errx(int status, const char *fmt, ...) __attribute__((noreturn, format(printf, 2, 3)));
void verr(int status, const char *fmt, va_list ap) __attribute__((noreturn, format(printf, 2, 0)));
void verrc(int status, int code, const char *fmt, va_list ap) __attribute__((noreturn, format(printf, 3, 0)));
void verrx(int status, const char *fmt, va_list ap) __attribute__((noreturn, format(printf, 2, 0)));

#endif
