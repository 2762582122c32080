/* ACPI tables, found once through the RSDP, mapped and checksummed: for drivers and power-off. */
#ifndef SKIFF_ACPI_H
#define SKIFF_ACPI_H

#include <stdint.h>

/* The table with signature sig ("FACP", "APIC", ...; "DSDT" through the FADT),
 * mapped read-only and checked (signature, length, checksum), or NULL when the
 * firmware has none. The table's length is its header's uint32_t at byte 4. */
const void *acpi_table(const char *sig);

#endif
