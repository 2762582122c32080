/* virtio-net transmit (virtio 1.x §5.1.6.2): scatter lists in place or copied, completion reclaim. */
#include <skiff/irq.h>
#include "kerrno.h"
#include "virtio_net.h"

#define ZC_PIECES_MAX 24 /* more physical pieces than this: copy the frame */

int vnet_tx_init(struct vnet *vn)
{
	vn->nslots = vn->txq.size / 2; /* every frame takes at least 2 descriptors */
	vn->slots = drv_zalloc(vn->nslots * sizeof(struct vnet_txslot));
	if (!vn->slots)
		return -ENOMEM;
	for (unsigned i = 0; i < vn->nslots; i++) {
		vn->slots[i].next_free = vn->free_slots;
		vn->free_slots = &vn->slots[i];
	}
	return 0;
}

void vnet_tx_free(struct vnet *vn)
{
	if (!vn->slots)
		return;
	for (unsigned i = 0; i < vn->nslots; i++)
		if (vn->slots[i].bounce)
			vnet_chunk_put(vn, (struct netdev_rxbuf *)(vn->slots[i].bounce - VNET_CHUNK_HEAD));
	drv_free(vn->slots, vn->nslots * sizeof(struct vnet_txslot));
	vn->slots = 0;
}

/* §2.7.14: take back finished frames; tell the stack about in-place ones. */
void vnet_tx_reclaim(struct vnet *vn)
{
	struct vnet_txslot *s;
	while ((s = virtq_get_used(&vn->txq, 0))) {
		if (s->zero_copy) {
			vn->zc_outstanding--;
			if (vn->nd.cb.tx_done)
				vn->nd.cb.tx_done(&vn->nd, s->cookie, vn->nd.cb.arg);
		}
		s->next_free = vn->free_slots;
		vn->free_slots = s;
	}
	if (vn->txq.broken)
		vn->failed = 1;
}

/* Driver thread: reclaim, and keep TX interrupts on only while in-place
 * frames are out (the stack waits for their memory); copied frames are
 * reclaimed lazily by the next netdev_xmit. */
void vnet_tx_poll(struct vnet *vn)
{
	sk_mutex_lock(&vn->tx_lock);
	vnet_tx_reclaim(vn);
	if (vn->zc_outstanding == 0)
		virtq_intr_disable(&vn->txq);
	sk_mutex_unlock(&vn->tx_lock);
}

/* Descriptors the device still holds: frames not yet sent (netdev_tx_pending). */
unsigned vnet_tx_pending(struct netdev *nd)
{
	struct vnet *vn = nd->priv;
	sk_mutex_lock(&vn->tx_lock);
	vnet_tx_reclaim(vn);
	unsigned held = vn->failed ? 0 : (unsigned)(vn->txq.size - vn->txq.num_free);
	sk_mutex_unlock(&vn->tx_lock);
	return held;
}

/* Physical pieces of the frame for in-place transmission; -1 if too many. */
static int pieces(const struct netdev_sg *sg, unsigned nsg, struct virtq_buf *out)
{
	int n = 0;
	for (unsigned i = 0; i < nsg; i++) {
		const uint8_t *p = sg[i].base;
		size_t left = sg[i].len;
		while (left) {
			size_t len = dma_contig(p, left);
			if (len == 0 || n == ZC_PIECES_MAX)
				return -1;
			out[n].addr = dma_phys(p);
			out[n++].len = (uint32_t)len;
			p += len;
			left -= len;
		}
	}
	return n;
}

/* Sleep until the device hands back descriptors (tx_lock held). */
static void wait_for_space(struct vnet *vn)
{
	unsigned long f = irq_save();
	if (!virtq_intr_enable(&vn->txq) && !vn->failed)
		waitq_wait(&vn->tx_wq, 0);
	irq_restore(f);
}

int vnet_xmit(struct netdev *nd, const struct netdev_sg *sg, unsigned nsg,
	      const struct netdev_txmeta *meta, void *cookie)
{
	struct vnet *vn = nd->priv;
	size_t total = 0;
	for (unsigned i = 0; i < nsg; i++)
		total += sg[i].len;
	if (total > (size_t)nd->mtu + 14 || total < 14)
		return -EMSGSIZE;
	struct virtq_buf bufs[1 + ZC_PIECES_MAX];
	int n = nd->cb.tx_done ? pieces(sg, nsg, bufs + 1) : -1;
	int zero_copy = n > 0;
	if (!zero_copy)
		n = 1;
	sk_mutex_lock(&vn->tx_lock);
	struct vnet_txslot *s;
	for (;;) {
		if (vn->failed) {
			sk_mutex_unlock(&vn->tx_lock);
			return -ENETDOWN;
		}
		vnet_tx_reclaim(vn);
		s = vn->free_slots;
		if (s && vn->txq.num_free >= (unsigned)n + 1)
			break;
		wait_for_space(vn);
	}
	if (!zero_copy && !s->bounce) {
		struct netdev_rxbuf *c = vnet_chunk_get(vn);
		if (!c) {
			sk_mutex_unlock(&vn->tx_lock);
			return -ENOMEM;
		}
		s->bounce = (uint8_t *)c + VNET_CHUNK_HEAD;
	}
	vn->free_slots = s->next_free;
	if (!zero_copy) {
		size_t off = 0;
		for (unsigned i = 0; i < nsg; i++) {
			__builtin_memcpy(s->bounce + off, sg[i].base, sg[i].len);
			off += sg[i].len;
		}
		bufs[1].addr = dma_phys(s->bounce);
		bufs[1].len = (uint32_t)total;
	}
	/* §5.1.6.2 Packet Transmission, steps 1-3: the header. */
	__builtin_memset(&s->hdr, 0, sizeof(s->hdr));
	s->hdr.gso_type = VIRTIO_NET_HDR_GSO_NONE;
	if (meta && (meta->flags & NETDEV_TX_NEEDS_CSUM)) {
		s->hdr.flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
		s->hdr.csum_start = meta->csum_start;
		s->hdr.csum_offset = meta->csum_offset;
	}
	s->cookie = cookie;
	s->zero_copy = zero_copy;
	bufs[0].addr = dma_phys(&s->hdr);
	bufs[0].len = vn->rx.hdr_len;
	virtq_add(&vn->txq, bufs, (unsigned)n + 1, 0, s); /* room checked above */
	if (zero_copy) {
		vn->zc_outstanding++;
		if (virtq_intr_enable(&vn->txq)) { /* finished ones wait: let the thread see them */
			unsigned long f = irq_save();
			vn->work |= VIRTIO_INT_VRING;
			waitq_wake_one(&vn->thread_wq);
			irq_restore(f);
		}
	}
	virtio_kick(vn->vd, &vn->txq);                        /* steps 4-6 */
	sk_mutex_unlock(&vn->tx_lock);
	/* A copied frame is done with the stack's memory already. */
	if (!zero_copy && nd->cb.tx_done)
		nd->cb.tx_done(nd, cookie, nd->cb.arg);
	return 0;
}
