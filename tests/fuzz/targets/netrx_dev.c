/* A simulated virtio-net device under the driver's own RX engine (virtio_net_rx.c) and netdev calls (netdev_calls.c), for the netrx target. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <skiff/inet_sum.h>
#include "netrx.h"

void netrx_fail(const char *what, ...)
{
	va_list ap;

	va_start(ap, what);
	fprintf(stderr, "netrx invariant broken: ");
	vfprintf(stderr, what, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	abort();
}

/* ---- chunks: one allocation each, freed when returned, so ASan sees any
 * use of a buffer after the stack gave it back ---- */

static struct netdev_rxbuf *chunk_new(struct netrx_dev *d)
{
	if (d->chunks >= NETRX_CHUNKS)
		return NULL;
	struct netdev_rxbuf *c = calloc(1, VNET_CHUNK);
	if (c)
		d->chunks++;
	return c;
}

static void chunk_free(struct netrx_dev *d, struct netdev_rxbuf *c)
{
	d->chunks--;
	free(c);
}

/* ---- the receive engine's ops: what virtio_net.c does with real memory ---- */

static struct netdev_rxbuf *op_chunk_get(void *d) { return chunk_new(d); }
static void op_chunk_put(void *d, struct netdev_rxbuf *c) { chunk_free(d, c); }
static uint64_t op_dma_addr(void *d, const void *p) { (void)d; return (uintptr_t)p; }

static void op_kick(void *arg)
{
	struct netrx_dev *d = arg;
	virtq_publish(&d->rxq);
}

/* What the stack is promised about a frame (include/skiff/netdev.h). */
static void check_frame(const struct netdev_rxbuf *f)
{
	if (f->len < 14)
		netrx_fail("a %u-byte first piece went up", f->len);
	for (const struct netdev_rxbuf *b = f; b; b = b->next) {
		const uint8_t *buf = (const uint8_t *)b + VNET_CHUNK_HEAD;
		if (b->data < buf || b->data + b->len > (const uint8_t *)b + VNET_CHUNK)
			netrx_fail("piece data [%p, +%u) outside its chunk %p", (void *)b->data, b->len,
				   (const void *)b);
		if (b != f && b->flags)
			netrx_fail("flags on a later piece");
	}
}

static void op_deliver(void *arg, struct netdev_rxbuf *frame)
{
	struct netrx_dev *d = arg;
	if (d->rx.posted > d->rx.target)
		netrx_fail("more buffers taken than were posted (%u left)", d->rx.posted);
	check_frame(frame);
	d->frames_in++;
	d->nd.cb.rx(&d->nd, frame, d->nd.cb.arg);
}

static const struct vnet_rx_ops rx_ops = {
	.chunk_get = op_chunk_get,
	.chunk_put = op_chunk_put,
	.dma_addr = op_dma_addr,
	.kick = op_kick,
	.deliver = op_deliver,
};

/* ---- the device's netdev ops, under drivers/netdev_calls.c's checks ---- */

static int dev_start(struct netdev *nd)
{
	struct netrx_dev *d = nd->priv;
	vnet_rx_refill(&d->rx);
	return d->rx.posted ? 0 : -ENOMEM;
}

static void dev_rx_free(struct netdev *nd, struct netdev_rxbuf *rxb)
{
	chunk_free(nd->priv, rxb);
}

/* The device reads the frame now (a copy), but the stack's memory is only
 * released when the driver thread next runs: netrx_dev_poll. */
static int dev_xmit(struct netdev *nd, const struct netdev_sg *sg, unsigned nsg,
		    const struct netdev_txmeta *meta, void *cookie)
{
	struct netrx_dev *d = nd->priv;
	uint8_t frame[1514 + 1];
	size_t len = 0;

	for (unsigned i = 0; i < nsg; i++) {
		if (sg[i].len > sizeof(frame) - len)
			netrx_fail("xmit of a frame over %zu bytes", sizeof(frame) - 1);
		memcpy(frame + len, sg[i].base, sg[i].len);
		len += sg[i].len;
	}
	if (len < 14 || len > 14u + nd->mtu)
		netrx_fail("xmit of a %zu-byte frame (mtu %u)", len, nd->mtu);
	if (meta && (meta->flags & NETDEV_TX_NEEDS_CSUM)) {
		size_t start = meta->csum_start, at = start + meta->csum_offset;
		if (start >= len || at + 2 > len)
			netrx_fail("checksum offload past the frame (%zu, %zu of %zu)", start, at, len);
		/* the device's part: sum from csum_start on, stored at csum_offset */
		uint16_t c = (uint16_t)~inet_fold(inet_sum16(0, frame + start, len - start));
		frame[at] = (uint8_t)(c >> 8);
		frame[at + 1] = (uint8_t)c;
	}
	const char *bad = netrx_check_csums(frame, len);
	if (bad)
		netrx_fail("sent a frame with a wrong %s (%s offload)", bad, meta ? "with" : "no");
	d->frames_out++;
	if (d->trace && len >= 34 && frame[12] == 8 && frame[13] == 0)
		fprintf(stderr, "netrx: out %zu bytes, IPv4 proto %u%s flags %#x\n", len, frame[23],
			meta ? " (csum offload)" : "", len >= 48 && frame[23] == 6 ? frame[47] : 0);
	if (d->ntx == NETRX_TX_MAX)
		netrx_fail("more than %d transmissions outstanding", NETRX_TX_MAX);
	d->tx[d->ntx++] = cookie;
	return 0;
}

/* ---- the device ---- */

void netrx_dev_init(struct netrx_dev *d, unsigned features)
{
	int legacy = (features & NETRX_F_LEGACY) != 0;
	static const uint8_t mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };

	static const struct netdev_ops ops = { .start = dev_start, .xmit = dev_xmit, .rx_free = dev_rx_free };

	memset(d, 0, sizeof(*d));
	unsigned align = legacy ? VIRTQ_LEGACY_ALIGN : VIRTQ_MODERN_ALIGN;
	size_t bytes = (virtq_mem_size(NETRX_RING, align) + 4095) & ~(size_t)4095;
	d->ring_mem = aligned_alloc(4096, bytes);
	if (!d->ring_mem)
		abort();
	memset(d->ring_mem, 0, bytes);
	virtq_init(&d->rxq, 0, NETRX_RING, d->ring_mem, align, d->cookies);
	vnet_rx_setup(&d->rx, &d->rxq, legacy, (features & NETRX_F_MRG_RXBUF) != 0,
		      (features & NETRX_F_ANY_LAYOUT) != 0, &rx_ops, d);
	memcpy(d->nd.name, "net0", 5);
	memcpy(d->nd.mac, mac, 6);
	d->nd.mtu = 1500;
	d->nd.features = NETDEV_F_RX_CSUM | NETDEV_F_LINK |
			 (features & NETRX_F_TX_CSUM ? NETDEV_F_TX_CSUM : 0);
	d->nd.link_up = 1;
	d->nd.rx_pool = NETRX_CHUNKS;
	d->nd.ops = &ops;
	d->nd.priv = d;
}

/* Copy bytes into the device-writable descriptors of the chain at head. */
static size_t write_chain(struct netrx_dev *d, uint16_t head, const uint8_t *p, size_t n,
			  size_t *capacity)
{
	size_t done = 0;
	uint16_t i = head;

	*capacity = 0;
	for (unsigned hops = 0; hops < NETRX_RING; hops++) {
		struct virtq_desc *desc = &d->rxq.desc[i];
		if (!(desc->flags & VIRTQ_DESC_F_WRITE))
			netrx_fail("receive descriptor %u is not device-writable", i);
		size_t k = n - done < desc->len ? n - done : desc->len;
		memcpy((uint8_t *)(uintptr_t)desc->addr, p + done, k);
		done += k;
		*capacity += desc->len;
		if (!(desc->flags & VIRTQ_DESC_F_NEXT))
			return done;
		i = desc->next;
	}
	netrx_fail("receive chain at %u loops", head);
}

void netrx_dev_receive(struct netrx_dev *d, unsigned ctl, unsigned piece, unsigned extra,
		      const uint8_t *pkt, size_t len)
{
	static uint8_t copy[65536 + 64];
	struct virtq *vq = &d->rxq;
	uint16_t avail = __atomic_load_n(&vq->avail->idx, __ATOMIC_ACQUIRE);
	unsigned ready = (uint16_t)(avail - d->dev_avail);

	if (ready == 0)
		return; /* no buffers: a real device drops the packet */
	if (len > sizeof(copy))
		len = sizeof(copy);
	memcpy(copy, pkt, len);
	if ((ctl & NETRX_C_FIX_CSUM) && len > d->rx.hdr_len)
		netrx_fix_csums(copy + d->rx.hdr_len, len - d->rx.hdr_len);
	if (piece == 0 || piece > VNET_BUF_LEN)
		piece = VNET_BUF_LEN;
	unsigned nbufs = 1;
	if (d->rx.mergeable) {
		nbufs = len ? (unsigned)((len + piece - 1) / piece) : 1;
		if (nbufs > ready)
			nbufs = ready;
		if ((ctl & NETRX_C_NUM_BUFS) && len >= 12) {
			copy[10] = (uint8_t)nbufs; /* num_buffers, little-endian (§5.1.6) */
			copy[11] = (uint8_t)(nbufs >> 8);
		}
	}
	unsigned total = nbufs + extra < ready ? nbufs + extra : ready;
	size_t at = 0;
	for (unsigned i = 0; i < total; i++) {
		uint16_t head = vq->avail->ring[d->dev_avail++ & (NETRX_RING - 1)];
		size_t want = i < nbufs ? len - at : 0, cap;
		if (d->rx.mergeable && want > piece)
			want = piece;
		size_t wrote = write_chain(d, head, copy + at, want, &cap);
		at += wrote;
		uint32_t claim = (uint32_t)wrote;
		switch (ctl & NETRX_C_CLAIM) {
		case NETRX_CLAIM_FULL: claim = (uint32_t)cap; break;
		case NETRX_CLAIM_OVER: claim = (uint32_t)cap + 1; break;
		case NETRX_CLAIM_SHORT: claim = (uint32_t)wrote / 2; break;
		}
		uint32_t id = (ctl & NETRX_C_BAD_ID) && i == 0 ? NETRX_RING : head;
		uint16_t u = vq->used->idx;
		vq->used->ring[u & (NETRX_RING - 1)] = (struct virtq_used_elem){ id, claim };
		__atomic_store_n(&vq->used->idx, (uint16_t)(u + 1), __ATOMIC_RELEASE);
	}
}

void netrx_dev_tx_done(struct netrx_dev *d)
{
	while (d->ntx) {
		void *cookie = d->tx[--d->ntx];
		d->nd.cb.tx_done(&d->nd, cookie, d->nd.cb.arg);
	}
}

int netrx_dev_poll(struct netrx_dev *d)
{
	vnet_rx_poll(&d->rx);
	netrx_dev_tx_done(d);
	if (d->rxq.broken)
		return -1; /* the driver gives the device up */
	vnet_rx_refill(&d->rx);
	return 0;
}

void netrx_dev_destroy(struct netrx_dev *d)
{
	netrx_dev_tx_done(d);
	for (unsigned i = 0; i < NETRX_RING; i++) {
		if (d->cookies[i]) {
			chunk_free(d, d->cookies[i]);
			d->cookies[i] = NULL;
		}
	}
	if (d->chunks)
		netrx_fail("%u receive buffers never came back from the stack", d->chunks);
	free(d->ring_mem);
	d->ring_mem = NULL;
}
