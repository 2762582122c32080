/* What skiff's lwIP port (net/arch/cc.h) asks of the OS, for the host fuzz build: asserts abort, fixed randomness. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <skiff/console.h>
#include "arch/cc.h"

/* An lwIP assertion is a panic in the image: here it is a crash the fuzzer reports. */
void net_assert_fail(const char *msg, const char *file, int line)
{
	fprintf(stderr, "lwIP assertion \"%s\" failed at %s:%d\n", msg, file, line);
	abort();
}

void net_diag(const char *fmt, ...)
{
	(void)fmt; /* LWIP_DEBUG is off: lwIP prints nothing */
}

/* Deterministic, so every run of an input takes the same path. */
uint32_t net_rand(void)
{
	return 0x2545f491u;
}

void klog(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
}
