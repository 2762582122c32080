/* lwIP platform hooks: diagnostics to the kernel log, assertions, random numbers, core-lock check. */
#include <stdarg.h>
#include <stdio.h>

#include <skiff/boot.h>
#include <skiff/console.h>
#include "lwip/opt.h"
#include "lwip/tcpip.h"
#include "net_internal.h"

void net_diag(const char *fmt, ...)
{
	char line[160];
	va_list ap;

	va_start(ap, fmt);
	int n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n > 0)
		console_write(CONSOLE_LOG, line, (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1);
}

void net_assert_fail(const char *msg, const char *file, int line)
{
	sk_panic("lwIP assertion \"%s\" failed at %s:%d", msg, file, line);
}

/* xorshift64* seeded from the TSC at first use: unpredictable enough for
 * ISNs and ports on a VM that boots in milliseconds. Caller holds the core
 * lock or runs before the stack starts; races only cost randomness. */
uint32_t net_rand(void)
{
	static uint64_t state;

	if (!state) {
		uint32_t lo, hi;
		__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
		state = (((uint64_t)hi << 32) | lo) ^ 0x9e3779b97f4a7c15ull;
	}
	state ^= state >> 12;
	state ^= state << 25;
	state ^= state >> 27;
	return (uint32_t)((state * 0x2545f4914f6cdd1dull) >> 32);
}

/* Set once the tcpip thread runs; lwip_init() itself adds the loopback
 * interface before any lock exists. */
int net_core_lock_checked;

void net_assert_core_locked(void)
{
	if (net_core_lock_checked && !sys_mutex_is_mine(&lock_tcpip_core))
		sk_panic("lwIP raw API called without the tcpip core lock");
}
