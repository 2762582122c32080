/* Console: COM1 carries the app's stdout, the debugcon port 0xe9 carries stderr and the kernel log. */
#include <stdarg.h>
#include <skiff/console.h>
#include "cpu.h"
#include "fmt.h"

#define COM1 0x3f8
#define DEBUGCON 0xe9

static void port_write(uint16_t port, const char *buf, size_t n)
{
	/* QEMU's 16550 and debugcon accept bytes at any rate: one string I/O. */
	__asm__ volatile("rep outsb" : "+S"(buf), "+c"(n) : "d"(port) : "memory");
}

void console_write(enum console_stream s, const char *buf, size_t n)
{
	port_write(s == CONSOLE_OUT ? COM1 : DEBUGCON, buf, n);
}

void klog(const char *fmt, ...)
{
	char line[512];
	va_list ap;
	va_start(ap, fmt);
	int n = kvsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(line) - 1)
		n = sizeof(line) - 1;
	console_write(CONSOLE_LOG, line, (size_t)n);
}
