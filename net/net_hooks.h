/* lwIP hooks that skiff's port provides (LWIP_HOOK_FILENAME): IPv6's static gateway. */
#ifndef SKIFF_NET_HOOKS_H
#define SKIFF_NET_HOOKS_H

#include "lwip/ip6_addr.h"

struct netif;

/* net_ip6_route.c: gw6= as the next hop off-link; NULL without one. */
const ip6_addr_t *net_ip6_gateway(struct netif *netif, const ip6_addr_t *dest);

#endif
