/* A simulated virtio-net device, and the driver loop of drivers/virtio_net.c around its pure RX code, for the netrx target. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* rx_refill: post chunks up to the target (§5.1.6.3). */
static void refill(struct netrx_dev *d)
{
	while (d->posted < NETRX_TARGET) {
		struct netdev_rxbuf *c = chunk_new(d);
		if (!c)
			break;
		uint64_t pa = (uintptr_t)c + VNET_CHUNK_HEAD;
		struct virtq_buf b[2] = { { pa, VNET_BUF_LEN }, { 0, 0 } };
		unsigned n = 1;
		if (d->split) { /* legacy, no ANY_LAYOUT: header alone (§5.1.6.3.2) */
			b[0].len = d->hdr_len;
			b[1].addr = pa + d->hdr_len;
			b[1].len = VNET_BUF_LEN - d->hdr_len;
			n = 2;
		}
		if (virtq_add(&d->rxq, b, 0, n, c) < 0) {
			chunk_free(d, c);
			break;
		}
		d->posted++;
	}
	virtq_publish(&d->rxq);
}

/* ---- the netdev calls net/netif_skiff.c makes (drivers/netdev.c's checks) ---- */

int netdev_start(struct netdev *nd, const struct netdev_callbacks *cb)
{
	struct netrx_dev *d = nd->priv;

	if (!cb || !cb->rx)
		return -EINVAL;
	if (nd->started)
		return -EBUSY;
	nd->cb = *cb;
	refill(d);
	if (d->posted == 0)
		return -ENOMEM;
	nd->started = 1;
	return 0;
}

void netdev_rx_free(struct netdev *nd, struct netdev_rxbuf *rxb)
{
	chunk_free(nd->priv, rxb);
}

/* The device reads the frame now (a copy), but the stack's memory is only
 * released when the driver thread next runs: netrx_dev_poll. */
int netdev_xmit(struct netdev *nd, const struct netdev_sg *sg, unsigned nsg,
		const struct netdev_txmeta *meta, void *cookie)
{
	struct netrx_dev *d = nd->priv;
	uint8_t frame[1514 + 1];
	size_t len = 0;

	if (!nd->started)
		return -ENETDOWN;
	if (nsg == 0 || nsg > NETDEV_SG_MAX)
		netrx_fail("xmit with %u segments", nsg);
	for (unsigned i = 0; i < nsg; i++) {
		if (sg[i].len > sizeof(frame) - len)
			netrx_fail("xmit of a frame over %zu bytes", sizeof(frame) - 1);
		memcpy(frame + len, sg[i].base, sg[i].len);
		len += sg[i].len;
	}
	if (len < 14 || len > 14u + nd->mtu)
		netrx_fail("xmit of a %zu-byte frame (mtu %u)", len, nd->mtu);
	if (meta && (meta->flags & NETDEV_TX_NEEDS_CSUM)) {
		if (!(nd->features & NETDEV_F_TX_CSUM))
			netrx_fail("checksum offload asked of a device without it");
		size_t start = meta->csum_start, at = start + meta->csum_offset;
		if (start >= len || at + 2 > len)
			netrx_fail("checksum offload past the frame (%zu, %zu of %zu)", start, at, len);
		uint32_t s = 0; /* the device's part: sum from csum_start on, stored at csum_offset */
		for (size_t i = start; i < len; i += 2)
			s += (uint32_t)frame[i] << 8 | (i + 1 < len ? frame[i + 1] : 0);
		while (s >> 16)
			s = (s & 0xffff) + (s >> 16);
		frame[at] = (uint8_t)(~s >> 8);
		frame[at + 1] = (uint8_t)~s;
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

	memset(d, 0, sizeof(*d));
	d->mergeable = (features & NETRX_F_MRG_RXBUF) != 0;
	d->hdr_len = !legacy || d->mergeable ? 12 : 10;  /* as virtio_net_attach */
	d->split = legacy && !(features & NETRX_F_ANY_LAYOUT);
	unsigned align = legacy ? VIRTQ_LEGACY_ALIGN : VIRTQ_MODERN_ALIGN;
	size_t bytes = (virtq_mem_size(NETRX_RING, align) + 4095) & ~(size_t)4095;
	d->ring_mem = aligned_alloc(4096, bytes);
	if (!d->ring_mem)
		abort();
	memset(d->ring_mem, 0, bytes);
	virtq_init(&d->rxq, 0, NETRX_RING, d->ring_mem, align, d->cookies);
	memcpy(d->nd.name, "net0", 5);
	memcpy(d->nd.mac, mac, 6);
	d->nd.mtu = 1500;
	d->nd.features = NETDEV_F_RX_CSUM | NETDEV_F_LINK |
			 (features & NETRX_F_TX_CSUM ? NETDEV_F_TX_CSUM : 0);
	d->nd.link_up = 1;
	d->nd.rx_pool = NETRX_CHUNKS;
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
	if ((ctl & NETRX_C_FIX_CSUM) && len > d->hdr_len)
		netrx_fix_csums(copy + d->hdr_len, len - d->hdr_len);
	if (piece == 0 || piece > VNET_BUF_LEN)
		piece = VNET_BUF_LEN;
	unsigned nbufs = 1;
	if (d->mergeable) {
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
		if (d->mergeable && want > piece)
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

static void drop(struct netrx_dev *d, struct netdev_rxbuf *b)
{
	while (b) {
		struct netdev_rxbuf *next = b->next;
		chunk_free(d, b);
		b = next;
	}
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

void netrx_dev_tx_done(struct netrx_dev *d)
{
	while (d->ntx) {
		void *cookie = d->tx[--d->ntx];
		d->nd.cb.tx_done(&d->nd, cookie, d->nd.cb.arg);
	}
}

int netrx_dev_poll(struct netrx_dev *d)
{
	struct netdev_rxbuf *frame;
	unsigned taken;
	int r;

	while ((r = vnet_rx_frame(&d->rxq, d->hdr_len, d->mergeable, &frame, &taken)) != VNET_RX_NONE) {
		if (taken == 0 || taken > d->posted)
			netrx_fail("%u buffers taken, %u were posted", taken, d->posted);
		d->posted -= taken;
		if (r == VNET_RX_DROP) {
			drop(d, frame);
			continue;
		}
		check_frame(frame);
		d->frames_in++;
		d->nd.cb.rx(&d->nd, frame, d->nd.cb.arg);
		if (d->posted < NETRX_TARGET / 2)
			refill(d);
	}
	netrx_dev_tx_done(d);
	if (d->rxq.broken)
		return -1; /* the driver gives the device up */
	refill(d);
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
