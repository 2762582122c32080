/* Clock helpers for the scheduler and boot statistics. */
#ifndef SKIFF_KERNEL_CLOCK_INTERNAL_H
#define SKIFF_KERNEL_CLOCK_INTERNAL_H

#include <stdint.h>

uint64_t clock_ticks_to_ns(uint64_t tsc_ticks);
/* LAPIC timer ticks for ns nanoseconds, clamped to 1..2^32-1. */
uint32_t clock_ns_to_lapic(uint64_t ns);
const char *clock_tsc_source(void);

/* The RTC's current time, whole seconds since the epoch (rtc.c). */
int64_t rtc_read_epoch(void);

/* One exchange with skiff run's time service on COM2 (clock_host.c). */
struct host_clock_sample {
	uint64_t tsc;       /* TSC when the answer was in */
	uint64_t rtt_ticks; /* TSC ticks from the request to the answer */
	uint64_t host_ns;   /* the host's CLOCK_REALTIME when it answered */
};
int host_clock_present(void);
/* 0 and *out filled, or -1 (no service, or no answer within max_wait_ns). */
int host_clock_sample(uint64_t max_wait_ns, struct host_clock_sample *out);
/* 1 under KVM with kvmclock (KVM_FEATURE_CLOCKSOURCE2), else 0 (clock_kvm.c). */
int kvmclock_present(void);

/* Under KVM: the host's wall time at a TSC value from kvmclock (clock_kvm.c);
 * 0, or -1 (not KVM, no kvmclock). */
int kvmclock_wall_sample(struct host_clock_sample *out);

#endif
