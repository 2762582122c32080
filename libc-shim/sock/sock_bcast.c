/* sendto a broadcast address without SO_BROADCAST: EACCES, as on Linux (lwIP says ERR_VAL, i.e. EINVAL). */
#include <errno.h>

#include "lwip/ip4_addr.h"
#include "lwip/netif.h"
#include "lwip/tcpip.h"
#include "sock_internal.h"

/* Is addr (network order) 255.255.255.255 or the broadcast address of an interface's subnet? */
static int is_broadcast(u32_t addr)
{
	struct netif *netif;
	int yes = addr == IPADDR_BROADCAST;

	LOCK_TCPIP_CORE();
	NETIF_FOREACH(netif) {
		if (!yes && ip4_addr_isbroadcast_u32(addr, netif))
			yes = 1;
	}
	UNLOCK_TCPIP_CORE();
	return yes;
}

int sock_bcast_errno(int s, int err, const struct sockaddr_in *to)
{
	int on = 0;
	socklen_t len = sizeof(on);

	if (err != -EINVAL || !to)
		return err;
	if (lwip_getsockopt(s, SOL_SOCKET, SO_BROADCAST, &on, &len) != 0 || on)
		return err;
	return is_broadcast(to->sin_addr.s_addr) ? -EACCES : err;
}
