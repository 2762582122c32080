/* Exit and power-off: a final machine-readable log line, then isa-debug-exit (or reset). */
#include <stdarg.h>
#include <skiff/boot.h>
#include <skiff/console.h>
#include "acpi.h"
#include "cpu.h"
#include "exit.h"
#include "fmt.h"
#include "trap.h"

#define DEBUG_EXIT_PORT 0xf4

static void (*exit_hooks[SK_EXIT_HOOKS])(void);
static int exit_hook_count;

int sk_on_exit(void (*fn)(void))
{
	if (exit_hook_count == SK_EXIT_HOOKS)
		return -1;
	exit_hooks[exit_hook_count++] = fn;
	return 0;
}

void exit_power_off(int code)
{
	cli();
	io_out32(DEBUG_EXIT_PORT, (uint32_t)code);  /* QEMU exits with (code << 1) | 1 */
	acpi_poweroff();                        /* no debug-exit device: ACPI S5 */
	io_out8(0xcf9, 0x06);                      /* no ACPI either: reset (QEMU -no-reboot exits) */
	io_out8(0x64, 0xfe);
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) none = { 0, 0 };
	__asm__ volatile("lidt %0; int3" : : "m"(none)); /* triple fault */
	for (;;)
		__asm__ volatile("hlt");
}

static void final_line(const char *kind, const char *fmt, va_list ap)
{
	char msg[256];
	kvsnprintf(msg, sizeof(msg), fmt, ap);
	console_log_fresh_line();
	klog("skiff: %s: %s\n", kind, msg);
}

void exit_panic_line(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	final_line("panic", fmt, ap);
	va_end(ap);
	exit_power_off(EXIT_PANIC);
}

void exit_refuse(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	final_line("refused", fmt, ap);
	va_end(ap);
	exit_power_off(EXIT_REFUSED);
}

void sk_refuse(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	final_line("refused", fmt, ap);
	va_end(ap);
	exit_power_off(EXIT_REFUSED);
}

void sk_exit(int status)
{
	static int exiting;
	if (!exiting++)
		for (int i = exit_hook_count; i-- > 0;)
			exit_hooks[i]();
	console_log_fresh_line();
	klog("skiff: exit %d\n", status & 0xff);
	exit_power_off(status & 0xff);
}

void sk_panic(const char *fmt, ...)
{
	trap_backtrace((uint64_t)__builtin_frame_address(0));
	va_list ap;
	va_start(ap, fmt);
	final_line("panic", fmt, ap);
	va_end(ap);
	exit_power_off(EXIT_PANIC);
}
