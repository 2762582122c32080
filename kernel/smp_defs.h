/* Constants shared by the AP trampoline (smp_tramp.S) and smp_boot.c. */
#ifndef SKIFF_KERNEL_SMP_DEFS_H
#define SKIFF_KERNEL_SMP_DEFS_H

#define SMP_TRAMPOLINE_PA 0x8000 /* below 1 MiB, page-aligned: SIPI vector 0x08; reserved by mm_init */
#define SMP_MAX_CPUS 16          /* tools/skiffpy/qemu.py MAX_CPUS */

#endif
