/* Boot-time command-line state. */
#ifndef SKIFF_KERNEL_BOOTARGS_H
#define SKIFF_KERNEL_BOOTARGS_H

#include <stddef.h>
#include "cmdline.h"

int bootargs_init(const char *src, size_t len);
const struct cmdline *bootargs(void);

#endif
