/* IPv6 on the first interface: link-local, SLAAC, and the static ip6= address with its DAD wait. */
#include <errno.h>

#include <skiff/boot.h>
#include <skiff/clock.h>
#include <skiff/console.h>
#include "lwip/ip6_addr.h"
#include "lwip/netif.h"
#include "lwip/tcpip.h"
#include "net_internal.h"

/* DAD sends one solicitation on lwIP's 1 s ND timer and settles on the next. */
#define DAD_TIMEOUT_MS 5000u

static s8_t static_idx = -1;

void net_ip6_setup(struct netif *netif, const struct net_config6 *cfg)
{
	netif_create_ip6_linklocal_address(netif, 1);
	netif_set_ip6_autoconfig_enabled(netif, 1);
	if (cfg->have_ip6 && netif_add_ip6_address(netif, &cfg->ip6, &static_idx) != ERR_OK) {
		klog("skiff: net: no room for ip6 address on %c%c\n", netif->name[0], netif->name[1]);
		static_idx = -1;
	}
	if (cfg->have_gw6)
		net_ip6_set_gateway(netif, &cfg->gw6);
}

int net_ip6_wait(struct netif *netif, const struct net_config6 *cfg, const char *name)
{
	uint64_t deadline = clock_monotonic_ns() + DAD_TIMEOUT_MS * 1000000ull;
	sys_sem_t tick;

	if (!cfg->have_ip6 || static_idx < 0)
		return 0;
	if (sys_sem_new(&tick, 0) != ERR_OK)
		return -ENOMEM;
	for (;;) {
		LOCK_TCPIP_CORE();
		u8_t state = netif_ip6_addr_state(netif, static_idx);
		UNLOCK_TCPIP_CORE();
		if (ip6_addr_isvalid(state))
			break;
		if (ip6_addr_isduplicated(state) || ip6_addr_isinvalid(state) ||
		    clock_monotonic_ns() >= deadline) {
			klog("skiff: net: ip6=%s on %s: %s\n", boot_karg("ip6"), name,
			     ip6_addr_isduplicated(state) ? "another host has it (DAD)" :
			     ip6_addr_isinvalid(state) ? "removed" : "DAD did not finish");
			sys_sem_free(&tick);
			return -EADDRNOTAVAIL;
		}
		sys_arch_sem_wait(&tick, 50);
	}
	sys_sem_free(&tick);
	return 0;
}
