/* One IPv4 or IPv6 lookup through lwIP's DNS client (for getaddrinfo and gethostbyname). */
#include <errno.h>
#include <string.h>

#include <skiff/net.h>
#include "lwip/api.h"
#include "lwip/dns.h"
#include "lwip/netif.h"
#include "lwip/tcpip.h"
#include "sock_dns.h"
#include "sock_internal.h"

static int have_server(void)
{
	int any = 0;

	LOCK_TCPIP_CORE();
	for (u8_t i = 0; i < DNS_MAX_SERVERS; i++)
		any |= !ip_addr_isany(dns_getserver(i));
	UNLOCK_TCPIP_CORE();
	return any;
}

int shim_dns_lookup_want(const char *name, enum shim_dns_want want, int *family,
			 uint8_t addr[16])
{
	static const u8_t types[] = {
		[SHIM_DNS_V4] = LWIP_DNS_ADDRTYPE_IPV4, [SHIM_DNS_V6] = LWIP_DNS_ADDRTYPE_IPV6,
		[SHIM_DNS_V4_V6] = LWIP_DNS_ADDRTYPE_IPV4_IPV6,
		[SHIM_DNS_V6_V4] = LWIP_DNS_ADDRTYPE_IPV6_IPV4,
	};
	ip_addr_t a;
	int err = net_start();

	if (err)
		return err;
	if (!have_server())
		return -EHOSTUNREACH;
	switch (netconn_gethostbyname_addrtype(name, &a, types[want])) {
	case ERR_OK:
		if (IP_IS_V6_VAL(a)) {
			*family = PX_AF_INET6;
			memcpy(addr, ip_2_ip6(&a)->addr, 16);
		} else {
			*family = PX_AF_INET;
			memcpy(addr, &ip_2_ip4(&a)->addr, 4);
		}
		return 0;
	case ERR_MEM:
		return -ENOMEM;
	default: /* lwIP reports NXDOMAIN, timeouts and bad names alike */
		return -ENOENT;
	}
}

int shim_net_has_global6(void)
{
	int any = 0;
	struct netif *nif;

	LOCK_TCPIP_CORE();
	NETIF_FOREACH(nif) {
		if (nif->flags & NETIF_FLAG_ETHERNET)
			for (int i = 0; i < LWIP_IPV6_NUM_ADDRESSES; i++)
				any |= ip6_addr_isvalid(netif_ip6_addr_state(nif, i)) &&
				       !ip6_addr_islinklocal(netif_ip6_addr(nif, i));
	}
	UNLOCK_TCPIP_CORE();
	return any;
}

int shim_dns_lookup(const char *name, uint32_t *addr)
{
	uint8_t a[16];
	int family, err = shim_dns_lookup_want(name, SHIM_DNS_V4, &family, a);

	if (!err)
		memcpy(addr, a, 4);
	return err;
}
