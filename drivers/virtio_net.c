/* virtio-net (virtio 1.x §5.1): attach, receive buffers, and the driver thread the IRQ wakes. */
#include <skiff/console.h>
#include <skiff/irq.h>
#include <skiff/mm.h>
#include <skiff/sched.h>
#include <skiff/io.h>
#include "kerrno.h"
#include "probe.h"
#include "virtio_net.h"

/* ---- chunks: 2 KiB pieces of identity-mapped pages, never returned ---- */

struct netdev_rxbuf *vnet_chunk_get(struct vnet *vn)
{
	unsigned long f = irq_save();
	struct netdev_rxbuf *c = vn->spare;
	if (c)
		vn->spare = c->next;
	irq_restore(f);
	if (c || vn->chunks >= vn->chunks_max)
		return c;
	uint8_t *page = mm_page_alloc();
	if (!page)
		return 0;
	f = irq_save();
	vn->chunks += PAGE_SIZE / VNET_CHUNK;
	for (unsigned off = VNET_CHUNK; off < PAGE_SIZE; off += VNET_CHUNK) {
		struct netdev_rxbuf *extra = (struct netdev_rxbuf *)(page + off);
		extra->next = vn->spare;
		vn->spare = extra;
	}
	irq_restore(f);
	return (struct netdev_rxbuf *)page;
}

void vnet_chunk_put(struct vnet *vn, struct netdev_rxbuf *rxb)
{
	unsigned long f = irq_save();
	rxb->next = vn->spare;
	vn->spare = rxb;
	irq_restore(f);
}

/* netdev_rx_free: back to the spare list; wake the thread if the ring is low. */
static void vnet_rx_free(struct netdev *nd, struct netdev_rxbuf *rxb)
{
	struct vnet *vn = nd->priv;
	vnet_chunk_put(vn, rxb);
	unsigned long f = irq_save();
	if (vn->rx.posted < vn->rx.target / 2) {
		vn->work |= VNET_WORK_REFILL;
		waitq_wake_one(&vn->thread_wq);
	}
	irq_restore(f);
}

/* ---- receive (§5.1.6.3, §5.1.6.4): the engine is virtio_net_rx.c's ---- */

static struct netdev_rxbuf *rx_chunk_get(void *vn) { return vnet_chunk_get(vn); }
static void rx_chunk_put(void *vn, struct netdev_rxbuf *c) { vnet_chunk_put(vn, c); }
static uint64_t rx_dma_addr(void *vn, const void *p) { (void)vn; return dma_phys(p); }

static void rx_kick(void *arg)
{
	struct vnet *vn = arg;
	virtio_kick(vn->vd, &vn->rxq);
}

static void rx_deliver(void *arg, struct netdev_rxbuf *frame)
{
	struct vnet *vn = arg;
	vn->nd.cb.rx(&vn->nd, frame, vn->nd.cb.arg);
}

static const struct vnet_rx_ops rx_ops = {
	.chunk_get = rx_chunk_get,
	.chunk_put = rx_chunk_put,
	.dma_addr = rx_dma_addr,
	.kick = rx_kick,
	.deliver = rx_deliver,
};

/* ---- link state, interrupt, thread ---- */

static void link_update(struct vnet *vn)
{
	if (!(vn->vd->features & VIRTIO_NET_F_STATUS))
		return;
	int up = (vn->vd->ops->config_read(vn->vd, VNET_CFG_STATUS, 2) & VIRTIO_NET_S_LINK_UP) != 0;
	if (up == vn->nd.link_up)
		return;
	vn->nd.link_up = up;
	if (vn->nd.cb.link)
		vn->nd.cb.link(&vn->nd, up, vn->nd.cb.arg);
}

/* Interrupts off: note the cause and wake whoever waits; nothing else. */
static void vnet_irq(void *arg, unsigned causes)
{
	struct vnet *vn = arg;
	vn->work |= causes;
	waitq_wake_one(&vn->thread_wq);
	waitq_wake_all(&vn->tx_wq);
}

static void vnet_thread(void *arg)
{
	struct vnet *vn = arg;
	for (;;) {
		unsigned long f = irq_save();
		while (!vn->work)
			waitq_wait(&vn->thread_wq, 0);
		unsigned work = vn->work;
		vn->work = 0;
		irq_restore(f);
		if (work & VIRTIO_INT_CONFIG)
			link_update(vn);
		/* §2.7.7: interrupts off while draining, on again before sleeping,
		 * then a last look so nothing that arrived in between is missed. */
		do {
			virtq_intr_disable(&vn->rxq);
			vnet_rx_poll(&vn->rx);
			if (vn->rxq.broken)
				vn->failed = 1;
			vnet_rx_refill(&vn->rx);
		} while (virtq_intr_enable(&vn->rxq));
		vnet_tx_poll(vn);
		if (vn->failed) {
			klog("skiff: virtio-net %s: device broke; link down\n", virtio_where(vn->vd));
			vn->nd.link_up = 0;
			if (vn->nd.cb.link)
				vn->nd.cb.link(&vn->nd, 0, vn->nd.cb.arg);
			waitq_wake_all(&vn->tx_wq);
			sched_exit();
		}
	}
}

/* netdev_start: fill the receive ring, then let the thread and IRQ run. */
static int vnet_start(struct netdev *nd)
{
	struct vnet *vn = nd->priv;
	vnet_rx_refill(&vn->rx);
	if (vn->rx.posted == 0)
		return -ENOMEM;
	if (!sched_create("virtio-net", vnet_thread, vn, 0))
		return -ENOMEM;
	return 0;
}

static const struct netdev_ops vnet_ops = {
	.start = vnet_start,
	.xmit = vnet_xmit,
	.rx_free = vnet_rx_free,
	.tx_pending = vnet_tx_pending,
};

/* §5.1.5 Device Initialization; one teardown path from any failure point. */
int virtio_net_attach(struct virtio_dev *vd)
{
	int err = -ENOMEM;
	struct vnet *vn = drv_zalloc(sizeof(*vn));
	if (!vn)
		goto fail;
	vn->vd = vd;
	sk_mutex_init(&vn->tx_lock, 0);
	uint64_t want = VIRTIO_NET_F_CSUM | VIRTIO_NET_F_GUEST_CSUM | VIRTIO_NET_F_MAC |
			VIRTIO_NET_F_MRG_RXBUF | VIRTIO_NET_F_STATUS | VIRTIO_F_ANY_LAYOUT |
			VIRTIO_NET_F_GUEST_TSO4;
	err = virtio_negotiate(vd, want, 0);
	/* §5.1.3.1, §5.1.6.3: TSO4 frames (up to 64 KiB, checksum partial) need
	 * GUEST_CSUM, and here merged buffers, ours being 2 KiB: else without it */
	uint64_t tso_needs = VIRTIO_NET_F_GUEST_CSUM | VIRTIO_NET_F_MRG_RXBUF;
	if (!err && (vd->features & VIRTIO_NET_F_GUEST_TSO4) &&
	    (vd->features & tso_needs) != tso_needs)
		err = virtio_negotiate(vd, want & ~VIRTIO_NET_F_GUEST_TSO4, 0);
	if (err)
		goto fail_free; /* already reset */
	uint64_t f = vd->features;
	struct netdev *nd = &vn->nd;
	if (f & VIRTIO_NET_F_MAC) {
		for (unsigned i = 0; i < 6; i++)
			nd->mac[i] = (uint8_t)vd->ops->config_read(vd, VNET_CFG_MAC + i, 1);
	} else { /* §5.1.5: no MAC offered: make up a locally administered one */
		uint64_t t = io_rdtsc();
		uint8_t mac[6] = { 0x02, 0x53, 0x4b, (uint8_t)(t >> 16), (uint8_t)(t >> 8), (uint8_t)t };
		__builtin_memcpy(nd->mac, mac, 6);
	}
	nd->mtu = 1500;
	nd->features = (f & VIRTIO_NET_F_CSUM ? NETDEV_F_TX_CSUM : 0) |
		       (f & VIRTIO_NET_F_GUEST_CSUM ? NETDEV_F_RX_CSUM : 0) |
		       (f & VIRTIO_NET_F_STATUS ? NETDEV_F_LINK : 0);
	nd->link_up = 1;
	nd->ops = &vnet_ops;
	nd->priv = vn;
	vn->chunks_max = VNET_CHUNKS_MAX;
	vn->nd.rx_pool = VNET_CHUNKS_MAX;
	err = virtio_queue_setup(vd, &vn->rxq, VNET_RXQ, VNET_QUEUE_MAX);
	if (err)
		goto fail_reset;
	err = virtio_queue_setup(vd, &vn->txq, VNET_TXQ, VNET_QUEUE_MAX);
	if (err)
		goto fail_rxq;
	virtq_intr_disable(&vn->txq); /* until an in-place frame is out */
	vnet_rx_setup(&vn->rx, &vn->rxq, vd->legacy, (f & VIRTIO_NET_F_MRG_RXBUF) != 0,
		      (f & VIRTIO_F_ANY_LAYOUT) != 0, &rx_ops, vn);
	err = vnet_tx_init(vn);
	if (err)
		goto fail_txq;
	err = vd->ops->irq_attach(vd, vnet_irq, vn);
	if (err)
		goto fail_slots;
	err = netdev_register(nd);
	if (err)
		goto fail_irq;
	virtio_driver_ok(vd);                                       /* §3.1.1 step 8 */
	if (f & VIRTIO_NET_F_STATUS)
		nd->link_up = (vd->ops->config_read(vd, VNET_CFG_STATUS, 2) & VIRTIO_NET_S_LINK_UP) != 0;
	return 0;

fail_irq:
	vd->ops->irq_detach(vd);
fail_slots:
	vnet_tx_free(vn);
fail_txq:
	vd->ops->reset(vd); /* the device lets go of the rings before they are freed */
	virtio_queue_free(&vn->txq);
fail_rxq:
	vd->ops->reset(vd);
	virtio_queue_free(&vn->rxq);
fail_reset:
	virtio_fail(vd);
fail_free:
	drv_free(vn, sizeof(*vn));
fail:
	klog("skiff: virtio-net %s: attach failed (%d)\n", virtio_where(vd), err);
	return err;
}
