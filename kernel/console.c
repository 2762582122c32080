/* Console ports: COM1 and debugcon 0xe9 (the kernel log, on COM1 where no debugcon answers; app stdout/stderr too when there is no host console link). */
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

static char log_last = '\n'; /* the last byte on DEBUGCON (racy by design: a hint) */
static uint16_t log_port;     /* 0 until probed: DEBUGCON, or COM1 where there is none */

/* QEMU's isa-debugcon reads back 0xe9; an empty port reads 0xff. Machines without one
 * (libvirt without passthrough, clouds booting the UEFI disk) get the log on COM1, so
 * the final `skiff: exit N` line still reaches their serial console. */
static uint16_t log_port_probe(void)
{
	if (!log_port)
		log_port = io_in8(DEBUGCON) == DEBUGCON ? DEBUGCON : COM1;
	return log_port;
}

void console_write(enum console_stream s, const char *buf, size_t n)
{
	port_write(s == CONSOLE_OUT ? COM1 : log_port_probe(), buf, n);
	if (s == CONSOLE_LOG && n)
		log_last = buf[n - 1];
}

void console_log_fresh_line(void)
{
	if (log_last != '\n')
		console_write(CONSOLE_LOG, "\n", 1);
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
