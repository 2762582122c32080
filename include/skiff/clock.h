/* Time: a monotonic clock from the TSC and wall-clock time from the RTC. */
#ifndef SKIFF_CLOCK_H
#define SKIFF_CLOCK_H

#include <stdint.h>

/* Nanoseconds since boot (first instruction). Calibrates the TSC on first use. */
uint64_t clock_monotonic_ns(void);
/* Nanoseconds since the Unix epoch (RTC read once, then the TSC). */
uint64_t clock_realtime_ns(void);
/* TSC ticks per second (calibrated on first use). */
uint64_t clock_tsc_hz(void);

#endif
