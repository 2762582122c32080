/* One IPv4 lookup through lwIP's DNS client (for getaddrinfo and gethostbyname). */
#include <errno.h>

#include <skiff/net.h>
#include "lwip/api.h"
#include "lwip/dns.h"
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

int shim_dns_lookup(const char *name, uint32_t *addr)
{
	ip_addr_t a;
	int err = net_start();

	if (err)
		return err;
	if (!have_server())
		return -EHOSTUNREACH;
	switch (netconn_gethostbyname(name, &a)) {
	case ERR_OK:
		*addr = ip4_addr_get_u32(ip_2_ip4(&a));
		return 0;
	case ERR_MEM:
		return -ENOMEM;
	default: /* lwIP reports NXDOMAIN, timeouts and bad names alike */
		return -ENOENT;
	}
}
