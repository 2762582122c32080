/* An lwIP Ethernet interface over a skiff netdev (shaped like lwIP's ethernetif.c template):
 * zero-copy both ways, checksum offload where the device offers it, link state. */
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include <skiff/console.h>
#include <skiff/inet_sum.h>
#include <skiff/netdev.h>
#include "lwip/etharp.h"
#include "lwip/ethip6.h"
#include "lwip/pbuf.h"
#include "lwip/prot/ip.h"
#include "lwip/prot/ip4.h"
#include "lwip/prot/ip6.h"
#include "lwip/prot/tcp.h"
#include "lwip/tcpip.h"
#include "netif/ethernet.h"
#include "net_internal.h"

#define ETH_HLEN 14

/* Received buffers the stack may hold at once before frames are copied
 * instead: TCP keeps out-of-order segments until their hole is filled, and a
 * driver whose every buffer sits in such queues could receive nothing more,
 * not even the retransmission that fills the hole. Half of the device's pool
 * (virtio-net: 256 of 512, well above its 64 posted buffers). */
#ifdef RX_HOLD_MAX /* the fuzz build lowers it (-DRX_HOLD_MAX=16) to reach the copy path */
#define rx_hold_max(nd) RX_HOLD_MAX
#else
#define rx_hold_max(nd) ((int)((nd)->rx_pool / 2))
#endif

/* A received buffer's lwIP identity, kept in its rxb->user[] scratch space. */
struct rx_pbuf {
	struct pbuf_custom pc;
	struct netif_skiff *ns;
};
_Static_assert(sizeof(struct rx_pbuf) <= sizeof(((struct netdev_rxbuf *)0)->user),
	       "struct rx_pbuf must fit in netdev_rxbuf.user");

/* Checksum work lwIP does in software whatever the frame: IP headers, ICMP
 * and ICMPv6, UDP (UDP may be fragmented, so the device cannot sum it per frame). */
#define CSUM_ALWAYS (NETIF_CHECKSUM_GEN_IP | NETIF_CHECKSUM_GEN_UDP | \
		     NETIF_CHECKSUM_GEN_ICMP | NETIF_CHECKSUM_CHECK_IP | \
		     NETIF_CHECKSUM_CHECK_ICMP | NETIF_CHECKSUM_GEN_ICMP6 | \
		     NETIF_CHECKSUM_CHECK_ICMP6)
/* Checked only for frames the device did not vouch for (see rx_frame). */
#define CSUM_CHECK_L4 (NETIF_CHECKSUM_CHECK_TCP | NETIF_CHECKSUM_CHECK_UDP)

/* ---------------------------------------------------------------- receive */

static void rx_pbuf_free(struct pbuf *p)
{
	struct rx_pbuf *rp = (struct rx_pbuf *)p;
	struct netdev_rxbuf *rxb = (struct netdev_rxbuf *)
		((char *)rp - offsetof(struct netdev_rxbuf, user));

	__atomic_sub_fetch(&rp->ns->rx_held, 1, __ATOMIC_RELAXED);
	netdev_rx_free(rp->ns->nd, rxb);
}

/* A copy of the frame in one heap pbuf; the buffers go back at once. NULL
 * when memory runs out (the frame is dropped). */
static struct pbuf *rx_copy(struct netdev *nd, struct netdev_rxbuf *rxb)
{
	size_t total = 0;

	for (struct netdev_rxbuf *b = rxb; b; b = b->next)
		total += b->len;
	struct pbuf *p = total <= 0xffff ? pbuf_alloc(PBUF_RAW, (u16_t)total, PBUF_RAM) : NULL;
	u16_t at = 0;
	while (rxb) {
		struct netdev_rxbuf *next = rxb->next;
		if (p)
			pbuf_take_at(p, rxb->data, rxb->len, at);
		at = (u16_t)(at + rxb->len);
		netdev_rx_free(nd, rxb);
		rxb = next;
	}
	return p;
}

/* Wrap every piece of a received frame in a custom pbuf, no copy; copy
 * instead while the stack already holds rx_hold_max buffers. A frame over
 * 64 KiB (only a broken device sends one) would wrap the 16-bit tot_len of
 * the chain: rx_copy drops it. */
static struct pbuf *rx_to_pbuf(struct netif_skiff *ns, struct netdev_rxbuf *rxb)
{
	struct pbuf *head = NULL;
	int pieces = 0;
	size_t total = 0;

	for (struct netdev_rxbuf *b = rxb; b; b = b->next) {
		pieces++;
		total += b->len;
	}
	if (total > 0xffff)
		return rx_copy(ns->nd, rxb);
	if (__atomic_add_fetch(&ns->rx_held, pieces, __ATOMIC_RELAXED) > rx_hold_max(ns->nd)) {
		__atomic_sub_fetch(&ns->rx_held, pieces, __ATOMIC_RELAXED);
		return rx_copy(ns->nd, rxb);
	}
	while (rxb) {
		struct netdev_rxbuf *next = rxb->next;
		struct rx_pbuf *rp = (struct rx_pbuf *)rxb->user;
		rp->ns = ns;
		rp->pc.custom_free_function = rx_pbuf_free;
		struct pbuf *p = pbuf_alloced_custom(PBUF_RAW, rxb->len, PBUF_REF, &rp->pc,
						     rxb->data, rxb->len);
		if (head)
			pbuf_cat(head, p);
		else
			head = p;
		rxb = next;
	}
	return head;
}

/* lwIP sees each frame under the core lock, one at a time, so the L4 checks
 * can be switched per frame. They stay off between frames: packets we send
 * to our own address loop back without the checksums the device would add. */
static void rx_frame(struct netdev *nd, struct netdev_rxbuf *rxb, void *arg)
{
	struct netif *netif = arg;
	int trusted = (rxb->flags & NETDEV_RX_CSUM_OK) != 0;
	struct pbuf *p = rx_to_pbuf((struct netif_skiff *)netif, rxb);

	(void)nd;
	if (!p)
		return;
	if (p->tot_len < ETH_HLEN) {
		pbuf_free(p);
		return;
	}
	LOCK_TCPIP_CORE();
	if (!trusted)
		netif->chksum_flags |= CSUM_CHECK_L4;
	ethernet_input(p, netif); /* consumes p */
	netif->chksum_flags &= (u16_t)~CSUM_CHECK_L4;
	UNLOCK_TCPIP_CORE();
}

static void link_changed(struct netdev *nd, int up, void *arg)
{
	(void)nd;
	LOCK_TCPIP_CORE();
	if (up)
		netif_set_link_up((struct netif *)arg);
	else
		netif_set_link_down((struct netif *)arg);
	UNLOCK_TCPIP_CORE();
}

/* --------------------------------------------------------------- transmit */

static void tx_done(struct netdev *nd, void *cookie, void *arg)
{
	(void)nd;
	(void)arg;
	pbuf_free(cookie);
}

/* Fold sum into the TCP checksum field at l4 and describe the rest in *meta. */
static int tx_csum_meta(uint8_t *f, uint8_t *l4, uint32_t sum, struct netdev_txmeta *meta)
{
	sum = inet_fold(sum);
	uint8_t *field = l4 + 16;
	field[0] = (uint8_t)(sum >> 8);
	field[1] = (uint8_t)sum;
	meta->flags = NETDEV_TX_NEEDS_CSUM;
	meta->csum_start = (uint16_t)(l4 - f);
	meta->csum_offset = 16;
	return 1;
}

/* The same for IPv6: lwIP's TCP segments carry no extension headers, so TCP
 * follows the fixed header; the pseudo-header has both addresses, the
 * 32-bit upper-layer length and the next header (RFC 8200 8.1). */
static int tx_csum_offload6(struct pbuf *p, struct netdev_txmeta *meta)
{
	uint8_t *f = p->payload;
	uint8_t *ip = f + ETH_HLEN;

	if (p->len < ETH_HLEN + IP6_HLEN + TCP_HLEN || ip[6] != IP6_NEXTH_TCP)
		return 0;
	unsigned plen = (unsigned)(ip[4] << 8 | ip[5]);
	if (plen < TCP_HLEN)
		return 0;
	uint32_t sum = inet_sum16(0, ip + 8, 32) + IP6_NEXTH_TCP + plen;
	return tx_csum_meta(f, ip + IP6_HLEN, sum, meta);
}

/* An IPv4 or IPv6 TCP frame whose checksum lwIP left to the device: store
 * the pseudo-header sum in the TCP checksum field and describe the rest in
 * *meta (virtio 1.x 5.1.6.2: VIRTIO_NET_HDR_F_NEEDS_CSUM). Returns 1 if
 * *meta applies. The Ethernet, IP and TCP headers are in the first pbuf. */
static int tx_csum_offload(struct pbuf *p, struct netdev_txmeta *meta)
{
	uint8_t *f = p->payload;

	if (p->len >= ETH_HLEN && f[12] == 0x86 && f[13] == 0xdd)
		return tx_csum_offload6(p, meta);
	if (p->len < ETH_HLEN + IP_HLEN || f[12] != 0x08 || f[13] != 0x00)
		return 0; /* neither IPv4 nor IPv6 */
	uint8_t *ip = f + ETH_HLEN;
	unsigned ihl = (ip[0] & 0x0f) * 4u;
	unsigned total = (unsigned)(ip[2] << 8 | ip[3]);
	if (ip[9] != IP_PROTO_TCP || ihl < IP_HLEN || total < ihl + TCP_HLEN ||
	    p->len < ETH_HLEN + ihl + TCP_HLEN)
		return 0;
	uint32_t sum = inet_sum16(0, ip + 12, 8) + IP_PROTO_TCP + (total - ihl);
	return tx_csum_meta(f, ip + ihl, sum, meta);
}

/* linkoutput: hand the pbuf chain to the device in place. The device holds
 * a reference until tx_done; TCP sees it (tcp_output_segment_busy) and does
 * not rewrite a segment the device is still reading. */
static err_t low_level_output(struct netif *netif, struct pbuf *p)
{
	struct netif_skiff *ns = (struct netif_skiff *)netif;
	struct netdev_sg sg[NETDEV_SG_MAX];
	struct netdev_txmeta meta;
	unsigned nsg = 0;
	struct pbuf *q;

	int volatile_data = 0;
	for (q = p; q && nsg < NETDEV_SG_MAX; q = q->next) {
		volatile_data |= PBUF_NEEDS_COPY(q) != 0;
		if (q->len) {
			sg[nsg].base = q->payload;
			sg[nsg++].len = q->len;
		}
	}
	/* Too many pieces, or a piece that is the caller's memory (PBUF_REF: a UDP
	 * sendto's buffer, free to reuse once sendto returns, before the device has
	 * read it): send one copy. */
	if (q || volatile_data) {
		q = pbuf_clone(PBUF_RAW, PBUF_RAM, p);
		if (!q)
			return ERR_MEM;
		p = q;
		sg[0].base = p->payload;
		sg[0].len = p->len;
		nsg = 1;
	} else {
		pbuf_ref(p);
	}
	int offload = !(netif->chksum_flags & NETIF_CHECKSUM_GEN_TCP) &&
		      tx_csum_offload(p, &meta);
	int err = netdev_xmit(ns->nd, sg, nsg, offload ? &meta : NULL, p);
	if (err) {
		pbuf_free(p);
		return err == -ENETDOWN ? ERR_IF : ERR_BUF;
	}
	return ERR_OK;
}

/* ------------------------------------------------------------------ setup */

/* netif_add's init hook (ethernetif_init in the template). */
static err_t netif_skiff_init(struct netif *netif)
{
	struct netif_skiff *ns = (struct netif_skiff *)netif;
	struct netdev *nd = ns->nd;

	netif->name[0] = 'e';
	netif->name[1] = 'n';
	netif->hostname = "skiff";
	netif->output = etharp_output;
	netif->output_ip6 = ethip6_output;
	netif->linkoutput = low_level_output;
	netif->hwaddr_len = ETH_HWADDR_LEN;
	memcpy(netif->hwaddr, nd->mac, ETH_HWADDR_LEN);
	netif->mtu = nd->mtu ? nd->mtu : 1500;
	/* MLD6: lwIP reports its all-nodes and solicited-node groups (ND needs
	 * them); virtio-net without a control queue passes every multicast frame. */
	netif->flags = NETIF_FLAG_BROADCAST | NETIF_FLAG_ETHARP | NETIF_FLAG_ETHERNET |
		       NETIF_FLAG_IGMP | NETIF_FLAG_MLD6;
	u16_t csum = CSUM_ALWAYS;
	if (!(nd->features & NETDEV_F_TX_CSUM))
		csum |= NETIF_CHECKSUM_GEN_TCP;
	NETIF_SET_CHECKSUM_CTRL(netif, csum);
	return ERR_OK;
}

int netif_skiff_add(struct netif_skiff *ns, struct netdev *nd)
{
	struct netif *netif = &ns->netif;

	ns->nd = nd;
	if (!netif_add(netif, NULL, NULL, NULL, ns, netif_skiff_init, tcpip_input))
		return -ENOMEM;
	struct netdev_callbacks cb = {
		.rx = rx_frame, .tx_done = tx_done, .link = link_changed, .arg = netif,
	};
	int err = netdev_start(nd, &cb);
	if (err) {
		klog("skiff: net: %s did not start (error %d)\n", nd->name, err);
		netif_remove(netif);
		return err;
	}
	netif_set_up(netif);
	if (!(nd->features & NETDEV_F_LINK) || nd->link_up)
		netif_set_link_up(netif);
	return 0;
}
