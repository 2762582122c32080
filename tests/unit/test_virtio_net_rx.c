/* Host unit tests for virtio-net frame assembly (drivers/virtio_net_rx.c) over a simulated used ring. */
// needs: drivers/virtio_net_rx.c drivers/virtq.c
#include <stdint.h>
#include <stdlib.h>

#include "check.h"
#include "../../drivers/virtio_net_rx.h"

#define RING 16

static struct virtq vq;
static void *cookies[RING];
static void *mem;
static struct netdev_rxbuf *chunks[RING];
static uint16_t heads[RING], nposted, dev_next;

/* A fresh ring with n chunks posted, one descriptor each (the modern layout). */
static void setup(unsigned n)
{
	free(mem);
	for (unsigned i = 0; i < RING; i++)
		free(chunks[i]), chunks[i] = NULL;
	size_t bytes = (virtq_mem_size(RING, VIRTQ_MODERN_ALIGN) + 4095) & ~4095ul;
	mem = aligned_alloc(4096, bytes);
	if (!mem)
		abort();
	memset(mem, 0, bytes);
	virtq_init(&vq, 0, RING, mem, VIRTQ_MODERN_ALIGN, cookies);
	for (unsigned i = 0; i < n; i++) {
		chunks[i] = calloc(1, VNET_CHUNK);
		struct virtq_buf b = { (uintptr_t)chunks[i] + VNET_CHUNK_HEAD, VNET_BUF_LEN };
		heads[i] = (uint16_t)virtq_add(&vq, &b, 0, 1, chunks[i]);
	}
	virtq_publish(&vq);
	nposted = (uint16_t)n;
	dev_next = 0;
}

/* The device returns the next posted buffer as used, claiming len bytes. */
static uint8_t *dev_use(uint32_t len)
{
	uint16_t u = vq.used->idx;
	vq.used->ring[u & (RING - 1)] = (struct virtq_used_elem){ heads[dev_next], len };
	vq.used->idx = (uint16_t)(u + 1);
	return (uint8_t *)chunks[dev_next++] + VNET_CHUNK_HEAD;
}

static void put_hdr(uint8_t *buf, uint8_t flags, uint16_t csum_start, uint16_t csum_offset,
		    uint16_t num_buffers)
{
	struct virtio_net_hdr h = { flags, 0, 0, 0, csum_start, csum_offset, num_buffers };
	memcpy(buf, &h, sizeof(h));
}

TEST(test_one_buffer)
{
	struct netdev_rxbuf *f;
	unsigned taken;

	setup(4);
	CHECK_INT(vnet_rx_frame(&vq, 12, 1, &f, &taken), VNET_RX_NONE);
	put_hdr(dev_use(12 + 60), VIRTIO_NET_HDR_F_DATA_VALID, 0, 0, 1);
	CHECK_INT(vnet_rx_frame(&vq, 12, 1, &f, &taken), VNET_RX_FRAME);
	CHECK_INT(taken, 1);
	CHECK(f == chunks[0]);
	CHECK(f->data == (uint8_t *)f + VNET_CHUNK_HEAD + 12);
	CHECK_INT(f->len, 60);
	CHECK(f->next == NULL);
	CHECK_INT(f->flags, NETDEV_RX_CSUM_OK);
}

TEST(test_merged_pieces)
{
	struct netdev_rxbuf *f;
	unsigned taken;

	setup(4);
	put_hdr(dev_use(VNET_BUF_LEN), 0, 0, 0, 3);
	dev_use(VNET_BUF_LEN);
	dev_use(100);
	CHECK_INT(vnet_rx_frame(&vq, 12, 1, &f, &taken), VNET_RX_FRAME);
	CHECK_INT(taken, 3);
	CHECK_INT(f->len, VNET_BUF_LEN - 12);
	CHECK(f->next == chunks[1] && f->next->next == chunks[2] && !chunks[2]->next);
	CHECK_INT(f->next->len, VNET_BUF_LEN);
	CHECK_INT(f->next->next->len, 100);
	CHECK_INT(f->flags, 0);
}

TEST(test_bad_later_piece_drops_the_frame)
{
	struct netdev_rxbuf *f;
	unsigned taken;

	/* empty, then past the buffer: the frame's bytes are not all there */
	for (uint32_t bad = 0; bad <= VNET_BUF_LEN + 1; bad += VNET_BUF_LEN + 1) {
		setup(4);
		put_hdr(dev_use(200), 0, 0, 0, 3);
		dev_use(bad);
		dev_use(50);
		CHECK_INT(vnet_rx_frame(&vq, 12, 1, &f, &taken), VNET_RX_DROP);
		CHECK_INT(taken, 3);
		CHECK(f == chunks[0] && f->next == chunks[1] && f->next->next == chunks[2]);
		CHECK_INT(vnet_rx_frame(&vq, 12, 1, &f, &taken), VNET_RX_NONE);
	}
}

TEST(test_missing_pieces_and_short_frames)
{
	struct netdev_rxbuf *f;
	unsigned taken;

	setup(4);
	put_hdr(dev_use(12 + 13), 0, 0, 0, 1); /* shorter than an Ethernet header */
	CHECK_INT(vnet_rx_frame(&vq, 12, 1, &f, &taken), VNET_RX_DROP);
	put_hdr(dev_use(VNET_BUF_LEN + 1), 0, 0, 0, 1);
	CHECK_INT(vnet_rx_frame(&vq, 12, 1, &f, &taken), VNET_RX_DROP);
	put_hdr(dev_use(200), 0, 0, 0, 0); /* num_buffers 0 */
	CHECK_INT(vnet_rx_frame(&vq, 12, 1, &f, &taken), VNET_RX_DROP);
	put_hdr(dev_use(200), 0, 0, 0, 5); /* promises more than arrive */
	CHECK_INT(vnet_rx_frame(&vq, 12, 1, &f, &taken), VNET_RX_DROP);
	CHECK_INT(taken, 1);
}

TEST(test_legacy_header_ignores_num_buffers)
{
	struct netdev_rxbuf *f;
	unsigned taken;

	setup(2);
	put_hdr(dev_use(10 + 64), 0, 0, 0, 7);
	CHECK_INT(vnet_rx_frame(&vq, 10, 0, &f, &taken), VNET_RX_FRAME);
	CHECK_INT(taken, 1);
	CHECK_INT(f->len, 64);
	CHECK(f->data == (uint8_t *)f + VNET_CHUNK_HEAD + 10);
}

TEST(test_partial_checksum_completed)
{
	struct netdev_rxbuf *f;
	unsigned taken;

	setup(2);
	uint8_t *buf = dev_use(12 + 20);
	put_hdr(buf, VIRTIO_NET_HDR_F_NEEDS_CSUM, 14, 2, 1);
	uint8_t *frame = buf + 12;
	for (int i = 14; i < 20; i++)
		frame[i] = (uint8_t)(0x11 * i);
	frame[16] = 0x12; /* the partial sum in place */
	frame[17] = 0x34;
	CHECK_INT(vnet_rx_frame(&vq, 12, 1, &f, &taken), VNET_RX_FRAME);
	CHECK_INT(f->flags, NETDEV_RX_CSUM_OK);
	uint32_t s = 0x1234; /* what the partial sum stood for (the pseudo-header) */
	for (int i = 14; i < 20; i += 2)
		s += (uint32_t)frame[i] << 8 | frame[i + 1];
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	CHECK_HEX(s, 0xffff); /* with it, the completed checksum verifies */
	put_hdr(dev_use(12 + 20), VIRTIO_NET_HDR_F_NEEDS_CSUM, 14, 5, 1); /* field past the end */
	CHECK_INT(vnet_rx_frame(&vq, 12, 1, &f, &taken), VNET_RX_DROP);
}

/* A GUEST_TSO4 frame: the partial checksum's sum runs over every piece, also
 * across a piece that ends in the middle of a 16-bit word. */
TEST(test_partial_checksum_over_pieces)
{
	struct netdev_rxbuf *f;
	unsigned taken;

	setup(4);
	uint8_t *first = dev_use(12 + 101); /* odd: a word straddles the pieces */
	put_hdr(first, VIRTIO_NET_HDR_F_NEEDS_CSUM, 14, 2, 3);
	uint8_t *second = dev_use(77), *third = dev_use(300);
	uint8_t *bytes[3] = { first + 12, second, third };
	uint32_t lens[3] = { 101, 77, 300 };
	for (int k = 0; k < 3; k++)
		for (uint32_t i = 0; i < lens[k]; i++)
			bytes[k][i] = (uint8_t)(31 * i + 7 * k + 1);
	first[12 + 16] = 0x56; /* the partial sum in place */
	first[12 + 17] = 0x78;
	CHECK_INT(vnet_rx_frame(&vq, 12, 1, &f, &taken), VNET_RX_FRAME);
	CHECK_INT(taken, 3);
	CHECK_INT(f->flags, NETDEV_RX_CSUM_OK);
	/* the whole L4 part as one byte string, summed the plain way */
	uint8_t all[101 + 77 + 300];
	uint32_t n = 0;
	for (int k = 0; k < 3; k++)
		for (uint32_t i = (k ? 0 : 14); i < lens[k]; i++)
			all[n++] = bytes[k][i];
	uint32_t s = 0x5678;
	for (uint32_t i = 0; i < n; i += 2)
		s += (uint32_t)all[i] << 8 | (i + 1 < n ? all[i + 1] : 0);
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	CHECK_HEX(s, 0xffff);
}

int main(void)
{
	RUN(test_one_buffer);
	RUN(test_merged_pieces);
	RUN(test_bad_later_piece_drops_the_frame);
	RUN(test_missing_pieces_and_short_frames);
	RUN(test_legacy_header_ignores_num_buffers);
	RUN(test_partial_checksum_completed);
	RUN(test_partial_checksum_over_pieces);
	setup(0);
	free(mem);
	return CHECK_EXIT_STATUS();
}
