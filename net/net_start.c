/* Bringing the stack up on first use: tcpip thread, interfaces, an address (static or DHCP). */
#include <errno.h>

#include <skiff/console.h>
#include <skiff/clock.h>
#include <skiff/net.h>
#include <skiff/netdev.h>
#include "lwip/dhcp.h"
#include "lwip/dns.h"
#include "lwip/ip4.h"
#include "lwip/tcpip.h"
#include "net_internal.h"

/* An ELF note (owner "skiff", type 0x101) that says "this image uses the
 * network": skiff run gives such images a network device by default.
 * kernel/kernel.ld keeps .note.skiff in the PT_NOTE segment. */
__asm__(".pushsection .note.skiff, \"a\", @note\n"
	".balign 4\n"
	".long 6, 4, 0x101\n"
	".asciz \"skiff\"\n"
	".balign 4\n"
	".long 1\n"
	".popsection");

#define NETIF_MAX 4
#define DHCP_TIMEOUT_MS 10000u

static struct netif_skiff ifs[NETIF_MAX];
static struct netif_skiff *main_if; /* the NIC not on a private network: ip=/DHCP, default route */
static sys_sem_t changed; /* upped by the tcpip thread on status changes */

static void tcpip_ready(void *arg)
{
	net_core_lock_checked = 1;
	sys_sem_signal(arg);
}

static void status_changed(struct netif *netif)
{
	(void)netif;
	sys_sem_signal(&changed);
}

/* Core lock held. */
static void configure(struct netif *netif, const struct net_config *cfg,
		      const struct net_config6 *cfg6)
{
	netif_set_status_callback(netif, status_changed);
	for (int i = 0; i < cfg->ndns; i++) {
		ip_addr_t dns;
		ip_addr_copy_from_ip4(dns, cfg->dns[i]);
		dns_setserver((u8_t)i, &dns);
	}
	net_ip6_setup(netif, cfg6);
	if (cfg->dhcp) {
		dhcp_start(netif);
		return;
	}
	netif_set_addr(netif, &cfg->ip, &cfg->netmask, &cfg->gw);
}

/* Core lock held. Has the first interface an address yet? */
static int have_address(struct netif *netif)
{
	return !ip4_addr_isany_val(*netif_ip4_addr(netif));
}

static int wait_for_address(struct netif *netif, const struct net_config *cfg)
{
	uint64_t start = clock_monotonic_ns();
	uint64_t deadline = start + DHCP_TIMEOUT_MS * 1000000ull;

	for (;;) {
		LOCK_TCPIP_CORE();
		int ok = have_address(netif);
		UNLOCK_TCPIP_CORE();
		if (ok)
			break;
		uint64_t now = clock_monotonic_ns();
		if (now >= deadline) {
			klog("skiff: net: DHCP gave %s no address in %u s (try ip=A.B.C.D/LEN)\n",
			     main_if->nd->name, DHCP_TIMEOUT_MS / 1000);
			return -ENETUNREACH;
		}
		u32_t left_ms = (u32_t)((deadline - now + 999999) / 1000000);
		sys_arch_sem_wait(&changed, left_ms);
	}
	if (cfg->dhcp) {
		const ip4_addr_t *a = netif_ip4_addr(netif);
		klog("skiff: net: %s %s by DHCP in %lu ms\n", main_if->nd->name, ip4addr_ntoa(a),
		     (unsigned long)((clock_monotonic_ns() - start) / 1000000));
	}
	return 0;
}

static int start(void)
{
	struct net_config cfg;
	struct net_nic nics[NETIF_MAX];
	struct netif_skiff *first_private = 0;
	struct net_config6 cfg6;
	sys_sem_t ready;
	int n = 0, err, nnics;

	if ((err = net_config_read(&cfg)) || (err = net_config6_read(&cfg6)))
		return err;
	if ((nnics = net_private_read(nics, NETIF_MAX)) < 0)
		return nnics;
	if (sys_sem_new(&ready, 0) != ERR_OK || sys_sem_new(&changed, 0) != ERR_OK)
		return -ENOMEM;
	tcpip_init(tcpip_ready, &ready);
	sys_arch_sem_wait(&ready, 0);

	LOCK_TCPIP_CORE();
	for (unsigned i = 0; n < NETIF_MAX; i++) {
		struct netdev *nd = netdev_get(i);
		if (!nd)
			break;
		if (netif_skiff_add(&ifs[n], nd))
			continue;
		const struct net_nic *nic = net_private_find(nics, nnics, nd->mac);
		if (nic) {
			net_private_configure(&ifs[n], nic);
			first_private = first_private ? first_private : &ifs[n];
		} else if (!main_if) {
			main_if = &ifs[n];
		}
		n++;
	}
	if (main_if) {
		netif_set_default(&main_if->netif);
		configure(&main_if->netif, &cfg, &cfg6);
	} else if (first_private) {
		netif_set_default(&first_private->netif);
	}
#if LWIP_IGMP
	if (first_private) /* multicast to a private network, not the user-mode NAT */
		ip4_set_default_multicast_netif(&first_private->netif);
#endif
	UNLOCK_TCPIP_CORE();
	net_private_report_unused(nics, nnics);
	if (!n) {
		klog("skiff: net: no network device; only 127.0.0.1 and ::1 are reachable\n");
		return 0;
	}
	net_exit_flush_register(ifs, n);
	if (!main_if)
		return 0;
	if ((err = wait_for_address(&main_if->netif, &cfg)))
		return err;
	return net_ip6_wait(&main_if->netif, &cfg6, main_if->nd->name);
}

int net_start(void)
{
	static struct sk_mutex once = SK_MUTEX_INIT;
	static int done, result;

	sk_mutex_lock(&once);
	if (!done) {
		result = start();
		done = 1;
	} else if (result == -ENETUNREACH) {
		/* DHCP keeps trying in the background: a late lease still counts. */
		LOCK_TCPIP_CORE();
		if (have_address(&main_if->netif))
			result = 0;
		UNLOCK_TCPIP_CORE();
	}
	sk_mutex_unlock(&once);
	return result;
}
