/* virtio-net receive (virtio 1.x §5.1.6.4): used buffers -> one netdev frame; no device access. */
#include <skiff/inet_sum.h>
#include "virtio_net_rx.h"

/* VIRTIO_NET_HDR_F_NEEDS_CSUM on receive: the L4 checksum is partial (the
 * pseudo-header sum is in place); finish it as the device would on TX. The
 * sum runs over every piece (a GUEST_TSO4 frame spans many); the field
 * itself must lie in the first. */
static int rx_complete_csum(struct netdev_rxbuf *rxb, const struct virtio_net_hdr *h)
{
	uint32_t start = h->csum_start, at = (uint32_t)h->csum_start + h->csum_offset;
	if (at + 2 > rxb->len || start >= rxb->len)
		return -1;
	uint32_t sum = 0, off = start;
	int odd = 0; /* the previous piece ended in the middle of a 16-bit word */
	for (struct netdev_rxbuf *b = rxb; b; b = b->next, off = 0) {
		const uint8_t *p = b->data + off;
		uint32_t n = b->len - off;
		if (odd && n) {
			sum += p[0]; /* the low byte of the word begun before */
			p++;
			n--;
			odd = 0;
		}
		sum = inet_sum16(sum, p, n & ~1u);
		if (n & 1) {
			sum += (uint32_t)p[n - 1] << 8;
			odd = 1;
		}
		sum = inet_fold(sum);
	}
	uint16_t c = (uint16_t)~sum;
	rxb->data[at] = (uint8_t)(c >> 8);
	rxb->data[at + 1] = (uint8_t)c;
	return 0;
}

/* One used buffer -> one netdev_rxbuf; NULL when none is pending. */
static struct netdev_rxbuf *rx_take(struct virtq *rxq, uint32_t *len, unsigned *taken)
{
	struct netdev_rxbuf *c = virtq_get_used(rxq, len);
	if (c)
		(*taken)++;
	return c;
}

int vnet_rx_frame(struct virtq *rxq, unsigned hdr_len, int mergeable,
		  struct netdev_rxbuf **frame, unsigned *taken)
{
	uint32_t len;
	struct netdev_rxbuf *first;

	*taken = 0;
	*frame = 0;
	if (!(first = rx_take(rxq, &len, taken)))
		return VNET_RX_NONE;
	*frame = first;
	uint8_t *buf = (uint8_t *)first + VNET_CHUNK_HEAD;
	struct virtio_net_hdr h;
	__builtin_memcpy(&h, buf, sizeof(h));
	unsigned nbufs = mergeable ? h.num_buffers : 1;
	first->next = 0;
	first->flags = 0;
	first->data = buf + hdr_len;
	first->len = (uint16_t)(len > hdr_len ? len - hdr_len : 0);
	if (len > VNET_BUF_LEN || nbufs == 0)
		first->len = 0;
	/* §5.1.6.4.2 Merge Buffers: num_buffers pieces make one frame. A piece
	 * the device claims to have filled past its end, or left empty, spoils
	 * the frame: its bytes are not where the next piece's start. */
	struct netdev_rxbuf *last = first;
	for (unsigned i = 1; i < nbufs; i++) {
		struct netdev_rxbuf *more = rx_take(rxq, &len, taken);
		if (!more) {
			first->len = 0; /* the device promised more: treat as garbage */
			break;
		}
		more->next = 0;
		more->flags = 0;
		more->data = (uint8_t *)more + VNET_CHUNK_HEAD;
		more->len = (uint16_t)(len <= VNET_BUF_LEN ? len : 0);
		if (more->len == 0)
			first->len = 0;
		last->next = more;
		last = more;
	}
	if (first->len < 14)
		return VNET_RX_DROP;
	if (h.flags & VIRTIO_NET_HDR_F_DATA_VALID)
		first->flags |= NETDEV_RX_CSUM_OK;
	else if (h.flags & VIRTIO_NET_HDR_F_NEEDS_CSUM) {
		if (rx_complete_csum(first, &h))
			return VNET_RX_DROP;
		first->flags |= NETDEV_RX_CSUM_OK;
	}
	return VNET_RX_FRAME;
}

void vnet_rx_setup(struct vnet_rx *rx, struct virtq *q, int legacy, int mergeable,
		   int any_layout, const struct vnet_rx_ops *ops, void *ctx)
{
	rx->q = q;
	rx->ops = ops;
	rx->ctx = ctx;
	rx->mergeable = mergeable;
	rx->hdr_len = !legacy || mergeable ? 12 : 10;
	rx->split = legacy && !any_layout;
	rx->posted = 0;
	rx->target = q->size / (rx->split ? 2u : 1u);
	if (rx->target > VNET_RX_TARGET)
		rx->target = VNET_RX_TARGET;
}

void vnet_rx_refill(struct vnet_rx *rx)
{
	int added = 0;
	while (rx->posted < rx->target) {
		struct netdev_rxbuf *c = rx->ops->chunk_get(rx->ctx);
		if (!c)
			break;
		uint64_t pa = rx->ops->dma_addr(rx->ctx, (uint8_t *)c + VNET_CHUNK_HEAD);
		struct virtq_buf b[2] = { { pa, VNET_BUF_LEN }, { 0, 0 } };
		unsigned n = 1;
		if (rx->split) { /* legacy, no ANY_LAYOUT: header alone (§5.1.6.3.2) */
			b[0].len = rx->hdr_len;
			b[1].addr = pa + rx->hdr_len;
			b[1].len = VNET_BUF_LEN - rx->hdr_len;
			n = 2;
		}
		if (virtq_add(rx->q, b, 0, n, c) < 0) {
			rx->ops->chunk_put(rx->ctx, c);
			break;
		}
		rx->posted++;
		added = 1;
	}
	if (added)
		rx->ops->kick(rx->ctx);
}

void vnet_rx_poll(struct vnet_rx *rx)
{
	struct netdev_rxbuf *frame;
	unsigned taken;
	int r;
	while ((r = vnet_rx_frame(rx->q, rx->hdr_len, rx->mergeable, &frame, &taken)) != VNET_RX_NONE) {
		rx->posted -= taken;
		if (r == VNET_RX_DROP) {
			while (frame) {
				struct netdev_rxbuf *next = frame->next;
				rx->ops->chunk_put(rx->ctx, frame);
				frame = next;
			}
			continue;
		}
		rx->ops->deliver(rx->ctx, frame);
		if (rx->posted < rx->target / 2)
			vnet_rx_refill(rx);
	}
}
