/* Power-off paths: the app's exit status, a panic, a refused boot. */
#ifndef SKIFF_KERNEL_EXIT_H
#define SKIFF_KERNEL_EXIT_H

#define EXIT_REFUSED 126 /* the kernel refused to start the app */
#define EXIT_PANIC 134   /* panic, fault, triple fault */

/* Stop the VM: isa-debug-exit with `code`, then ACPI-less fallbacks. */
void exit_power_off(int code) __attribute__((noreturn));
/* Print "skiff: panic: <msg>" as the final log line and power off. */
void exit_panic_line(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
/* Print "skiff: refused: <msg>" as the final log line and power off. */
void exit_refuse(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

#endif
