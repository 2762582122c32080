/* Kernel string formatting. */
#ifndef SKIFF_KERNEL_FMT_H
#define SKIFF_KERNEL_FMT_H

#include <stdarg.h>
#include <stddef.h>

int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int ksnprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
