/* Constants shared by boot.S and the C boot path. */
#ifndef SKIFF_KERNEL_BOOT_DEFS_H
#define SKIFF_KERNEL_BOOT_DEFS_H

#define BOOT_PROTO_PVH 1
#define BOOT_PROTO_MULTIBOOT 2
#define BOOT_PROTO_EFI 3
#define BOOT_STACK_SIZE 16384

#include <skiff/handoff.h>

#endif
