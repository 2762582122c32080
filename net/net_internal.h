/* net/ internals: what each file of the lwIP port provides to the others, grouped by file. */
#ifndef SKIFF_NET_INTERNAL_H
#define SKIFF_NET_INTERNAL_H

#include <stdint.h>
#include "lwip/netif.h"
#include "lwip/sys.h"

struct netdev;

/* net_diag.c */
extern int net_core_lock_checked; /* LWIP_ASSERT_CORE_LOCKED active */

/* sys_arch_mutex.c */
int sys_mutex_is_mine(sys_mutex_t *mutex);

/* netif_skiff.c: an lwIP interface over a netdev. */
struct netif_skiff {
	struct netif netif;
	struct netdev *nd;
	int rx_held; /* zero-copy receive buffers the stack holds (atomic) */
};
/* Add nd as an lwIP interface (link state, checksum offloads, zero-copy
 * receive) and start the device. Core lock held. 0 or -errno. */
int netif_skiff_add(struct netif_skiff *ns, struct netdev *nd);

/* net_config.c: addresses from the kernel arguments. */
struct net_config {
	int dhcp;                  /* no ip= given */
	ip4_addr_t ip, netmask, gw;
	ip4_addr_t dns[2];
	int ndns;
};
/* Parse ip= netmask= gw= dns=. 0, or -EINVAL after logging the bad argument. */
int net_config_read(struct net_config *cfg);

/* net_private.c: NICs on private networks (skiff run --network), by MAC. */
struct net_nic {
	uint8_t mac[6];
	unsigned prefix;
	ip4_addr_t ip, netmask;
};
/* Parse the nic= arguments into nics[0..max): their count, or -EINVAL (logged). */
int net_private_read(struct net_nic *nics, int max);
/* The entry for this MAC, or NULL. */
const struct net_nic *net_private_find(const struct net_nic *nics, int n, const uint8_t mac[6]);
/* Give the interface its static address (core lock held). */
void net_private_configure(struct netif_skiff *ns, const struct net_nic *nic);

#endif
