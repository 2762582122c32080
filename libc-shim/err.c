/* BSD/glibc <err.h>: "progname: message: strerror(errno)" on stderr (warn*, err*), err* then exit. */
#define _GNU_SOURCE
#include <err.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* program_invocation_short_name (<errno.h>, progname.c) is the "progname". */

/* One line: "prog: ", the formatted message (if any), ": strerror(code)" when with_errno. */
static void report(int with_errno, int code, const char *fmt, va_list ap)
{
	flockfile(stderr);
	fprintf(stderr, "%s: ", program_invocation_short_name);
	if (fmt) {
		vfprintf(stderr, fmt, ap);
		if (with_errno)
			fputs(": ", stderr);
	}
	if (with_errno)
		fputs(strerror(code), stderr);
	fputc('\n', stderr);
	funlockfile(stderr);
}

void vwarn(const char *fmt, va_list ap)
{
	report(1, errno, fmt, ap);
}

void vwarnc(int code, const char *fmt, va_list ap)
{
	report(1, code, fmt, ap);
}

void vwarnx(const char *fmt, va_list ap)
{
	report(0, 0, fmt, ap);
}

void verr(int status, const char *fmt, va_list ap)
{
	report(1, errno, fmt, ap);
	exit(status);
}

void verrc(int status, int code, const char *fmt, va_list ap)
{
	report(1, code, fmt, ap);
	exit(status);
}

void verrx(int status, const char *fmt, va_list ap)
{
	report(0, 0, fmt, ap);
	exit(status);
}

void warn(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vwarn(fmt, ap);
	va_end(ap);
}

void warnc(int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vwarnc(code, fmt, ap);
	va_end(ap);
}

void warnx(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vwarnx(fmt, ap);
	va_end(ap);
}

void err(int status, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	verr(status, fmt, ap);
}

void errc(int status, int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	verrc(status, code, fmt, ap);
}

void errx(int status, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	verrx(status, fmt, ap);
}
