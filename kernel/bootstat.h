/* Boot-time stamps (TSC) from the first instruction to main(), printed with `bootstat`. */
#ifndef SKIFF_KERNEL_BOOTSTAT_H
#define SKIFF_KERNEL_BOOTSTAT_H

void bootstat_mark(const char *step);
/* Print the breakdown on the log (calibrates the clock: call after the last mark). */
void bootstat_print(void);

#endif
