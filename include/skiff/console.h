/* Console streams: the app's stdout on COM1, stderr and the kernel log on the log port. */
#ifndef SKIFF_CONSOLE_H
#define SKIFF_CONSOLE_H

#include <stddef.h>

enum console_stream {
	CONSOLE_OUT = 1, /* app stdout: COM1, byte-exact */
	CONSOLE_LOG = 2, /* app stderr and kernel log: debugcon port 0xe9 */
};

/* Write n bytes to a stream. Never fails, never blocks on anything but the port. */
void console_write(enum console_stream s, const char *buf, size_t n);

/* printf-style kernel log line to CONSOLE_LOG (subset: %s %d %u %x %lx %lu %ld %p %c %%). */
void klog(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
