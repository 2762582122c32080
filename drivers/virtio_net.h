/* virtio-net driver internals (virtio 1.x §5.1) shared by virtio_net.c (attach, RX, thread) and virtio_net_tx.c. */
#ifndef SKIFF_DRIVERS_VIRTIO_NET_H
#define SKIFF_DRIVERS_VIRTIO_NET_H

#include <skiff/netdev.h>
#include <skiff/sync.h>
#include "virtio.h"
#include "virtio_net_rx.h" /* virtio_net_hdr, chunk layout, vnet_rx_frame */

/* §5.1.3 Feature bits */
#define VIRTIO_NET_F_CSUM       (1ULL << 0)
#define VIRTIO_NET_F_GUEST_CSUM (1ULL << 1)
#define VIRTIO_NET_F_MAC        (1ULL << 5)
#define VIRTIO_NET_F_GUEST_TSO4 (1ULL << 7)
#define VIRTIO_NET_F_MRG_RXBUF  (1ULL << 15)
#define VIRTIO_NET_F_STATUS     (1ULL << 16)

/* §5.1.4 Device configuration layout */
#define VNET_CFG_MAC    0
#define VNET_CFG_STATUS 6
#define VIRTIO_NET_S_LINK_UP 1

#define VNET_RXQ 0 /* §5.1.2 Virtqueues: receiveq1 */
#define VNET_TXQ 1 /* transmitq1 */

/* One transmit in flight: its header and what to release when done. */
struct vnet_txslot {
	struct virtio_net_hdr hdr;  /* read by the device */
	void *cookie;               /* the stack's, for tx_done */
	uint8_t *bounce;            /* chunk for copied frames (kept), or NULL */
	struct vnet_txslot *next_free;
	int zero_copy;
} __attribute__((aligned(64)));

struct vnet {
	struct netdev nd;
	struct virtio_dev *vd;

	/* Interrupts off (the IRQ handler sets, the driver thread clears). */
	volatile unsigned work;     /* VIRTIO_INT_* causes, VNET_WORK_REFILL */
	struct sk_waitq thread_wq;  /* the driver thread sleeps here */
	struct sk_waitq tx_wq;      /* netdev_xmit waits here for ring space */
	volatile int failed;

	/* Driver thread only (rx.posted is also read in vnet_rx_free with interrupts off). */
	struct virtq rxq;
	struct vnet_rx rx;          /* the receive engine over rxq (virtio_net_rx.c) */

	/* Interrupts off: spare chunks, linked through netdev_rxbuf.next. */
	struct netdev_rxbuf *spare;
	unsigned chunks, chunks_max;

	/* tx_lock */
	struct sk_mutex tx_lock;
	struct virtq txq;
	struct vnet_txslot *slots, *free_slots;
	unsigned nslots, zc_outstanding;
};

#define VNET_WORK_REFILL 0x100u

/* virtio_net.c */
struct netdev_rxbuf *vnet_chunk_get(struct vnet *vn); /* NULL when out of memory */
void vnet_chunk_put(struct vnet *vn, struct netdev_rxbuf *rxb);
/* virtio_net_tx.c */
int vnet_tx_init(struct vnet *vn);     /* slots; 0 or -ENOMEM */
void vnet_tx_free(struct vnet *vn);
int vnet_xmit(struct netdev *nd, const struct netdev_sg *sg, unsigned nsg,
	      const struct netdev_txmeta *meta, void *cookie);
void vnet_tx_reclaim(struct vnet *vn); /* tx_lock held */
unsigned vnet_tx_pending(struct netdev *nd); /* frames the device still holds */
void vnet_tx_poll(struct vnet *vn);    /* driver thread: reclaim, set TX interrupts */

#endif
