/* lwIP platform hooks: diagnostics to the kernel log, assertions, random numbers, core-lock check. */
#include <stdarg.h>
#include <stdio.h>

#include <skiff/boot.h>
#include <skiff/console.h>
#include <skiff/entropy.h>
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

/* lwIP's LWIP_RAND (ISNs, ephemeral ports, DNS and DHCP ids): the kernel's one
 * randomness source, so there is no second generator to audit. */
uint32_t net_rand(void)
{
	uint32_t r;

	entropy_fill(&r, sizeof(r));
	return r;
}

/* Set once the tcpip thread runs; lwip_init() itself adds the loopback
 * interface before any lock exists. */
int net_core_lock_checked;

void net_assert_core_locked(void)
{
	if (net_core_lock_checked && !sys_mutex_is_mine(&lock_tcpip_core))
		sk_panic("lwIP raw API called without the tcpip core lock");
}
