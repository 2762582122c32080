/* What the boot path hands the application: argv, exit, panic. */
#ifndef SKIFF_BOOT_H
#define SKIFF_BOOT_H

#include <stdint.h>

/* The application's argv (argv[0] is the image name), NULL-terminated. */
int boot_app_argc(void);
char **boot_app_argv(void);

/* Has the kernel argument `name` been given (e.g. "bootstat")?
 * For `name=value` arguments returns the value, for flags "", else NULL. */
const char *boot_karg(const char *name);

/* The i-th kernel argument as given ("env=K=V"), or NULL past the last one
 * (libc-shim reads the repeated env= arguments with it). */
const char *boot_karg_word(int i);

/* Called by libc-shim right before main(): stamps boot time, prints `bootstat`. */
void boot_reached_main(void);

/* Physical address of the ACPI RSDP (from the loader, else found in the BIOS area), or 0. */
uint64_t boot_acpi_rsdp(void);

/* Print "skiff: exit N" on the log and power off with status N (0-255). */
void sk_exit(int status) __attribute__((noreturn));
/* Print the message, registers-free backtrace and "skiff: panic"; power off. */
void sk_panic(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

/* End the boot before main(): print "skiff: refused: <msg>" and power off with
 * status 126 (libc-shim uses it when `workdir=` cannot be entered). */
void sk_refuse(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

/* Register fn to run when the program exits (exit, _exit, a signal to itself),
 * before power-off, last registered first: libc-shim flushes stdio, the network
 * stack delivers what was sent. Up to SK_EXIT_HOOKS; 0, or -1 when full. Panics
 * and faults power off without them. */
#define SK_EXIT_HOOKS 4
int sk_on_exit(void (*fn)(void));

/* Provided by libc-shim: the body of the first thread ("main"). It sets up
 * newlib, calls main(argc, argv) and exit()s with its result. */
void app_entry(void);

#endif
