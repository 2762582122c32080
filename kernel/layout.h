/* Virtual address layout: identity-mapped RAM and devices, then the heap and thread stacks. */
#ifndef SKIFF_KERNEL_LAYOUT_H
#define SKIFF_KERNEL_LAYOUT_H

#define IMAGE_BASE    0x100000UL          /* the ELF is linked and loaded here */
#define HEAP_BASE     0x10000000000UL     /* 1 TiB: sbrk grows up from here */
#define HEAP_LIMIT    0x18000000000UL
#define STACKS_BASE   0x20000000000UL     /* 2 TiB: thread stacks, each under a guard page */
#define STACKS_LIMIT  0x28000000000UL

#endif
