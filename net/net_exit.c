/* At exit, what the program sent still reaches the peer, as from a native process: TCP data and FINs until acknowledged, every packet until the device took it. */
#include <skiff/boot.h>
#include <skiff/clock.h>
#include <skiff/console.h>
#include <skiff/netdev.h>
#include <skiff/sched.h>
#include "lwip/memp.h"
#include "lwip/priv/tcp_priv.h"
#include "lwip/stats.h"
#include "lwip/tcpip.h"
#include "net_internal.h"

#define EXIT_FLUSH_MS 1000u /* power-off waits at most this long for the peers' ACKs */
#define EXIT_POLL_NS 500000u

static struct netif_skiff *flush_ifs;
static int flush_nifs;

/* Connections with data or a FIN the peer has not acknowledged yet; pushes out
 * what Nagle or a full window held back. Core lock held. */
static int tcp_still_sending(void)
{
	int n = 0;
	for (struct tcp_pcb *pcb = tcp_active_pcbs; pcb; pcb = pcb->next) {
		if (pcb->state < ESTABLISHED || pcb->state == FIN_WAIT_2 || pcb->state == TIME_WAIT)
			continue; /* handshakes in progress carry no data of the program's */
		if (pcb->unsent)
			tcp_output(pcb);
		if (pcb->unsent || pcb->unacked)
			n++;
	}
	return n;
}

/* Packets lwIP holds until a neighbour's MAC address resolves (ARP, IPv6 ND). */
static unsigned awaiting_neighbour(void)
{
	return lwip_stats.memp[MEMP_ARP_QUEUE]->used + lwip_stats.memp[MEMP_ND6_QUEUE]->used;
}

static unsigned frames_queued(void)
{
	unsigned n = awaiting_neighbour();
	for (int i = 0; i < flush_nifs; i++)
		n += netdev_tx_pending(flush_ifs[i].nd);
	return n;
}

/* sk_on_exit hook: wait, at most EXIT_FLUSH_MS, for both; say so when time ran out. */
static void net_exit_flush(void)
{
	uint64_t deadline = clock_monotonic_ns() + EXIT_FLUSH_MS * 1000000ull;
	int sending, busy;
	unsigned queued;

	if (sys_mutex_is_mine(&lock_tcpip_core))
		return; /* exit from inside the stack: its state is half-changed */
	for (;;) {
		sending = 0;
		busy = sk_mutex_trylock(&lock_tcpip_core.mutex) != 0; /* another thread is in it */
		if (!busy) {
			sending = tcp_still_sending();
			UNLOCK_TCPIP_CORE();
		}
		queued = frames_queued();
		if (!busy && sending == 0 && queued == 0)
			return;
		if (clock_monotonic_ns() >= deadline)
			break;
		sched_sleep_ns(EXIT_POLL_NS);
	}
	if (busy)
		klog("skiff: net: exit: the stack stayed busy for %u ms; what was sent last may "
		     "be lost\n", EXIT_FLUSH_MS);
	else
		klog("skiff: net: exit after waiting %u ms: %d connection(s) unacknowledged, %u "
		     "packet(s) unsent\n", EXIT_FLUSH_MS, sending, queued);
}

void net_exit_flush_register(struct netif_skiff *ifs, int nifs)
{
	flush_ifs = ifs;
	flush_nifs = nifs;
	sk_on_exit(net_exit_flush);
}
