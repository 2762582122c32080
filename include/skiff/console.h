/* Console ports: COM1 (app stdout without the host link) and the kernel log port; see skiff/hostcon.h. */
#ifndef SKIFF_CONSOLE_H
#define SKIFF_CONSOLE_H

#include <stddef.h>

enum console_stream {
	CONSOLE_OUT = 1, /* COM1: app stdout when there is no host console link */
	CONSOLE_LOG = 2, /* debugcon port 0xe9: the kernel log (and app stderr without the link) */
};

/* Write n bytes to a stream. Never fails, never blocks on anything but the port. */
void console_write(enum console_stream s, const char *buf, size_t n);

/* Start a new line on CONSOLE_LOG unless the last byte written there ended one
 * (the final `skiff: exit N` line must stand alone whatever came before). */
void console_log_fresh_line(void);

/* printf-style kernel log line to CONSOLE_LOG (subset: %s %d %u %x %lx %lu %ld %p %c %%). */
void klog(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
