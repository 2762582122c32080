/* Fuzz target: bytes a virtio-net device writes into receive buffers -> skiff's RX descriptor handling -> net/netif_skiff.c -> lwIP. */
// needs: drivers/virtq.c drivers/virtio_net_rx.c drivers/netdev_calls.c net/netif_skiff.c net/net_ip6_route.c lwip
// needs: tests/fuzz/targets/netrx_dev.c tests/fuzz/targets/netrx_csum.c tests/fuzz/targets/lwip_host.c
// cflags: -DRX_HOLD_MAX=16
//
// Input: features:u8, then records of ctl:u8 piece:u8 extra:u8 len:u16le data[len]
// (the last record may be short). features: NETRX_F_*; ctl: NETRX_C_*; piece:
// bytes the device puts in each mergeable buffer, in units of 8 (0: fill it);
// extra: further empty used buffers; data: virtio_net_hdr + Ethernet frame.
// The interface is 10.0.2.15/24 (gw 10.0.2.2, MAC 52:54:00:12:34:56), or with
// NETRX_F_DHCP unconfigured and asking DHCP (xid 0x2545f491, net_rand's), with a
// TCP echo server on port 80 and a UDP echo server on port 7. Every input
// starts from a fresh interface and must leave nothing behind.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lwip/init.h"
#include "lwip/dhcp.h"
#include "lwip/etharp.h"
#include "lwip/ip4_frag.h"
#include "lwip/netif.h"
#include "lwip/priv/tcp_priv.h"
#include "lwip/tcp.h"
#include "lwip/udp.h"
#include "net_internal.h"
#include "netrx.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct netrx_dev dev;
static struct netif_skiff ns;
static struct tcp_pcb *listener;
static struct udp_pcb *udp_echo;
static unsigned timer_ticks; /* 250 ms periods since setup */
static int trace;            /* NETRX_TRACE set: one summary line per input */

/* LWIP_HOOK_IP4_INPUT: lwIP's pbuf invariant, tot_len = this piece + the rest. */
int netrx_check_pbuf(struct pbuf *p, struct netif *inp)
{
	(void)inp;
	for (struct pbuf *q = p; q; q = q->next)
		if (q->tot_len != q->len + (q->next ? q->next->tot_len : 0))
			netrx_fail("pbuf chain with tot_len %u over pieces of %u + %u bytes", q->tot_len,
				   q->len, q->next ? q->next->tot_len : 0);
	return 0; /* not eaten: ip4_input goes on */
}

/* TCP: echo what arrives (as much as the send buffer takes), close when the peer does. */
static err_t tcp_echo_recv(void *arg, struct tcp_pcb *pcb, struct pbuf *p, err_t err)
{
	(void)arg;
	if (err != ERR_OK || !p) {
		if (p)
			pbuf_free(p);
		if (tcp_close(pcb) != ERR_OK) {
			tcp_abort(pcb);
			return ERR_ABRT;
		}
		return ERR_OK;
	}
	for (struct pbuf *q = p; q; q = q->next) {
		u16_t n = q->len < tcp_sndbuf(pcb) ? q->len : tcp_sndbuf(pcb);
		if (n && tcp_write(pcb, q->payload, n, TCP_WRITE_FLAG_COPY) != ERR_OK)
			break;
	}
	tcp_recved(pcb, p->tot_len);
	pbuf_free(p);
	tcp_output(pcb);
	return ERR_OK;
}

static err_t tcp_echo_accept(void *arg, struct tcp_pcb *pcb, err_t err)
{
	(void)arg;
	if (err != ERR_OK || !pcb)
		return ERR_VAL;
	tcp_recv(pcb, tcp_echo_recv);
	return ERR_OK;
}

/* UDP: send the datagram back, zero-copy (the received buffers go out again). */
static void udp_echo_recv(void *arg, struct udp_pcb *pcb, struct pbuf *p, const ip_addr_t *addr,
			  u16_t port)
{
	(void)arg;
	udp_sendto(pcb, p, addr, port);
	pbuf_free(p);
}

static void setup(unsigned features)
{
	ip4_addr_t ip, mask, gw;

	netrx_dev_init(&dev, features);
	dev.trace = trace;
	memset(&ns, 0, sizeof(ns));
	if (netif_skiff_add(&ns, &dev.nd) != 0)
		netrx_fail("netif_skiff_add failed");
	netif_set_default(&ns.netif);
	if (features & NETRX_F_DHCP) {
		if (dhcp_start(&ns.netif) != ERR_OK)
			netrx_fail("dhcp_start");
	} else {
		IP4_ADDR(&ip, 10, 0, 2, 15);
		IP4_ADDR(&mask, 255, 255, 255, 0);
		IP4_ADDR(&gw, 10, 0, 2, 2);
		netif_set_addr(&ns.netif, &ip, &mask, &gw);
	}
	netrx_dev_tx_done(&dev); /* gratuitous ARP */
	tcp_ticks = 0;
	timer_ticks = 0;
	struct tcp_pcb *pcb = tcp_new();
	if (!pcb || tcp_bind(pcb, IP_ANY_TYPE, 80) != ERR_OK)
		netrx_fail("tcp pcb");
	listener = tcp_listen_with_backlog(pcb, 4);
	if (!listener)
		netrx_fail("tcp_listen");
	tcp_accept(listener, tcp_echo_accept);
	udp_echo = udp_new();
	if (!udp_echo || udp_bind(udp_echo, IP_ANY_TYPE, 7) != ERR_OK)
		netrx_fail("udp pcb");
	udp_recv(udp_echo, udp_echo_recv, NULL);
}

/* 250 ms pass (tcp_tmr's period): lwIP's timers, called directly (NO_SYS, no
 * timer list). DHCP's 60 s timer runs every 2 s, so leases can expire. */
static void timers(void)
{
	tcp_fasttmr();
	if (++timer_ticks % 2 == 0) {
		tcp_slowtmr();
		dhcp_fine_tmr();
	}
	if (timer_ticks % 4 == 0) {
		etharp_tmr();
		ip_reass_tmr();
	}
	if (timer_ticks % 8 == 0)
		dhcp_coarse_tmr();
}

/* Close everything, so the next input starts clean; every buffer must be back. */
static void teardown(void)
{
	netif_poll_all();
	if (trace) {
		int active = 0;
		for (struct tcp_pcb *p = tcp_active_pcbs; p; p = p->next)
			active++;
		fprintf(stderr, "netrx: %lu frame(s) in, %lu out, %d active TCP pcb(s)\n",
			dev.frames_in, dev.frames_out, active);
	}
	dhcp_release_and_stop(&ns.netif); /* a DHCPRELEASE, maybe to ourselves */
	dhcp_cleanup(&ns.netif);
	for (int i = 0; i <= IP_REASS_MAXAGE + 1; i++)
		ip_reass_tmr(); /* may answer "time exceeded", to ourselves too */
	/* Aborts send RSTs, maybe to ourselves: until the loopback queue is dry. */
	for (int round = 0; ns.netif.loop_first || tcp_active_pcbs || tcp_tw_pcbs; round++) {
		if (round == 8)
			netrx_fail("traffic to ourselves does not stop");
		netif_poll_all();
		while (tcp_active_pcbs)
			tcp_abort(tcp_active_pcbs);
		while (tcp_tw_pcbs)
			tcp_abort(tcp_tw_pcbs);
	}
	tcp_close(listener);
	udp_remove(udp_echo);
	netrx_dev_tx_done(&dev);
	netif_remove(&ns.netif);
	if (ns.rx_held != 0)
		netrx_fail("lwIP still holds %d receive buffers", ns.rx_held);
	netrx_dev_destroy(&dev);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	trace = getenv("NETRX_TRACE") != NULL;
	lwip_init();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	setup(data[0]);
	size_t at = 1;
	while (size - at >= 5) {
		unsigned ctl = data[at], piece = data[at + 1] * 8u, extra = data[at + 2];
		size_t len = (size_t)data[at + 3] | (size_t)data[at + 4] << 8;
		at += 5;
		if (len > size - at)
			len = size - at;
		if (ctl & NETRX_C_LINK_FLAP) {
			dev.nd.cb.link(&dev.nd, 0, dev.nd.cb.arg);
			dev.nd.cb.link(&dev.nd, 1, dev.nd.cb.arg);
		}
		netrx_dev_receive(&dev, ctl, piece, extra, data + at, len);
		at += len;
		if (netrx_dev_poll(&dev) < 0) {
			dev.nd.cb.link(&dev.nd, 0, dev.nd.cb.arg); /* vnet_thread: link down, stop */
			break;
		}
		netif_poll_all();
		netrx_dev_tx_done(&dev);
		if (ctl & NETRX_C_TIMERS)
			timers();
		netrx_dev_tx_done(&dev);
	}
	teardown();
	return 0;
}
