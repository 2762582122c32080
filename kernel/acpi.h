/* Minimal ACPI: find the RSDP and power off through S5 (used when isa-debug-exit is absent). */
#ifndef SKIFF_KERNEL_ACPI_H
#define SKIFF_KERNEL_ACPI_H

#include <stdint.h>

/* Remember the RSDP the loader reported (0: search the BIOS area on demand). */
void acpi_set_rsdp(uint64_t rsdp);
/* Enter S5 through the FADT (PM1a control block, or the sleep control register
 * on hardware-reduced ACPI such as QEMU microvm). Returns only on failure. */
void acpi_poweroff(void);

#endif
