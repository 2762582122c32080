/* Time helpers shared by the sys_arch files: ms timeouts to kernel deadlines. */
#ifndef SKIFF_NET_SYS_ARCH_TIME_H
#define SKIFF_NET_SYS_ARCH_TIME_H

#include <stdint.h>
#include <skiff/clock.h>

static inline uint64_t sys_arch_now_ns(void)
{
	return clock_monotonic_ns();
}

/* Kernel deadline (monotonic ns) for an lwIP timeout in ms; 0 ms = none. */
static inline uint64_t sys_arch_deadline(uint64_t start_ns, uint32_t timeout_ms)
{
	return timeout_ms ? start_ns + (uint64_t)timeout_ms * 1000000u : 0;
}

/* Whole ms since start_ns, kept below SYS_ARCH_TIMEOUT (0xffffffff). */
static inline uint32_t sys_arch_elapsed_ms(uint64_t start_ns)
{
	uint64_t ms = (sys_arch_now_ns() - start_ns) / 1000000u;

	return ms >= 0xfffffffeu ? 0xfffffffeu : (uint32_t)ms;
}

#endif
