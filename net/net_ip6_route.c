/* The gw6= next hop: lwIP's LWIP_HOOK_ND6_GET_GW, for destinations off every on-link prefix. */
#include "lwip/ip6_addr.h"
#include "lwip/netif.h"
#include "net_hooks.h"
#include "net_internal.h"

static ip6_addr_t gateway6;
static struct netif *gateway6_netif;

void net_ip6_set_gateway(struct netif *netif, const ip6_addr_t *gw)
{
	gateway6 = *gw;
	ip6_addr_assign_zone(&gateway6, IP6_UNICAST, netif);
	gateway6_netif = netif;
}

/* NULL lets lwIP pick a router it learnt from advertisements. */
const ip6_addr_t *net_ip6_gateway(struct netif *netif, const ip6_addr_t *dest)
{
	(void)dest;
	return gateway6_netif && netif == gateway6_netif ? &gateway6 : NULL;
}
