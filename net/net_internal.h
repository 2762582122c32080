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

/* net_exit.c: at exit, wait (bounded) until the TCP peers acknowledged what was
 * sent and the devices took every frame (sk_on_exit). Once, after the interfaces. */
void net_exit_flush_register(struct netif_skiff *ifs, int nifs);

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
	int used;                  /* a NIC has this MAC */
	unsigned prefix;
	ip4_addr_t ip, netmask;
};
/* Parse the nic= arguments into nics[0..max): their count, or -EINVAL (logged). */
int net_private_read(struct net_nic *nics, int max);
/* The entry for this MAC (marked used), or NULL. */
const struct net_nic *net_private_find(struct net_nic *nics, int n, const uint8_t mac[6]);
/* Log the entries no NIC matched. */
void net_private_report_unused(const struct net_nic *nics, int n);
/* Give the interface its static address (core lock held). */
void net_private_configure(struct netif_skiff *ns, const struct net_nic *nic);

/* net_config6.c: IPv6 addresses from the kernel arguments. */
struct net_config6 {
	int have_ip6, have_gw6;
	ip6_addr_t ip6, gw6;       /* ip6=ADDR[/64], gw6=ADDR */
};
/* Parse ip6= gw6=. 0, or -EINVAL after logging the bad argument. */
int net_config6_read(struct net_config6 *cfg);

/* net_ip6_route.c: gw6= as the next hop off-link on netif. Core lock held. */
void net_ip6_set_gateway(struct netif *netif, const ip6_addr_t *gw);

/* net_ip6.c: IPv6 on an interface. */
/* Link-local, SLAAC, the static address and gateway. Core lock held. */
void net_ip6_setup(struct netif *netif, const struct net_config6 *cfg);
/* Wait for the static address to pass DAD; 0, or -EADDRNOTAVAIL after a
 * log line. Core lock not held. */
int net_ip6_wait(struct netif *netif, const struct net_config6 *cfg, const char *name);

#endif
