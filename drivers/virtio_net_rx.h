/* virtio-net receive-side layout and frame assembly (virtio 1.x §5.1.6); pure code, built on the host for fuzzing. */
#ifndef SKIFF_DRIVERS_VIRTIO_NET_RX_H
#define SKIFF_DRIVERS_VIRTIO_NET_RX_H

#include <stdint.h>
#include <skiff/netdev.h>
#include "virtq.h"

/* §5.1.6 Device Operation: the header in front of every packet. 10 bytes for
 * legacy devices without VIRTIO_NET_F_MRG_RXBUF, else 12 (num_buffers). */
#define VIRTIO_NET_HDR_F_NEEDS_CSUM 1
#define VIRTIO_NET_HDR_F_DATA_VALID 2
#define VIRTIO_NET_HDR_GSO_NONE 0
struct virtio_net_hdr {
	uint8_t flags;
	uint8_t gso_type;
	uint16_t hdr_len;
	uint16_t gso_size;
	uint16_t csum_start;
	uint16_t csum_offset;
	uint16_t num_buffers;
};

/* A 2 KiB chunk: struct netdev_rxbuf, then the device's buffer (header +
 * frame). Used for receive buffers and transmit bounce buffers. */
/* The driver's sizes (virtio_net.c), public so that host doubles size themselves alike. */
#define VNET_QUEUE_MAX  256  /* ring entries we ask for */
#define VNET_RX_TARGET  64   /* receive buffers kept posted (128 KiB) */
#define VNET_CHUNKS_MAX 512  /* 1 MiB: receive buffers the stack may hold + bounce buffers */

#define VNET_CHUNK      2048u
#define VNET_CHUNK_HEAD 128u
#define VNET_BUF_LEN    (VNET_CHUNK - VNET_CHUNK_HEAD) /* >= 1526 (§5.1.6.3.1) */

/* What vnet_rx_frame found in the used ring. */
enum vnet_rx_result {
	VNET_RX_NONE = 0,  /* nothing pending (or the ring broke: rxq->broken) */
	VNET_RX_FRAME = 1, /* *frame is a frame to hand to the stack */
	VNET_RX_DROP = 2,  /* *frame holds pieces of a bad frame: recycle them */
};

/* §5.1.6.4 Processing of Incoming Packets: take the next frame from rxq's
 * used ring, whose cookies are chunks (struct netdev_rxbuf at the start,
 * the device's buffer VNET_CHUNK_HEAD bytes in). With mergeable buffers the
 * header's num_buffers used entries make one frame, chained through ->next.
 * Sets data, len and flags of each piece (NETDEV_RX_CSUM_OK on the first),
 * completes a partial checksum (VIRTIO_NET_HDR_F_NEEDS_CSUM) in place, and
 * turns malformed frames (too short, lengths past the buffer, missing or
 * empty pieces, an impossible checksum request) into VNET_RX_DROP.
 * *taken: used entries consumed, whatever the result. */
int vnet_rx_frame(struct virtq *rxq, unsigned hdr_len, int mergeable,
		  struct netdev_rxbuf **frame, unsigned *taken);

/*
 * The receive engine around vnet_rx_frame: keeps buffers posted and hands
 * frames up. What touches the machine (chunk memory, bus addresses, the
 * doorbell, the stack) comes through ops, so the driver (virtio_net.c) and
 * the host doubles (tests/fuzz/targets/netrx_dev.c) run this same code.
 * Not reentrant: the driver thread (or the caller of a double) owns it.
 */
struct vnet_rx_ops {
	struct netdev_rxbuf *(*chunk_get)(void *ctx);           /* a free chunk, or NULL */
	void (*chunk_put)(void *ctx, struct netdev_rxbuf *c);   /* back to the pool */
	uint64_t (*dma_addr)(void *ctx, const void *p);         /* the device's address of p */
	void (*kick)(void *ctx);                                /* chains were added: publish, notify */
	void (*deliver)(void *ctx, struct netdev_rxbuf *frame); /* one well-formed frame */
};

struct vnet_rx {
	struct virtq *q;
	const struct vnet_rx_ops *ops;
	void *ctx;
	unsigned hdr_len;        /* 10 or 12 (§5.1.6) */
	int split;               /* legacy without ANY_LAYOUT: the header in its own descriptor */
	int mergeable;           /* VIRTIO_NET_F_MRG_RXBUF */
	unsigned posted, target; /* buffers the device holds; how many to keep there */
};

/* The negotiated interface (§5.1.6: legacy or modern, VIRTIO_NET_F_MRG_RXBUF,
 * VIRTIO_F_ANY_LAYOUT) -> header length, layout and posting target for q. */
void vnet_rx_setup(struct vnet_rx *rx, struct virtq *q, int legacy, int mergeable,
		   int any_layout, const struct vnet_rx_ops *ops, void *ctx);
/* §5.1.6.3 Setting Up Receive Buffers: post chunks up to the target, kick if any. */
void vnet_rx_refill(struct vnet_rx *rx);
/* §5.1.6.4: every pending frame delivered (a malformed one recycled),
 * refilling whenever fewer than half the target remain posted. */
void vnet_rx_poll(struct vnet_rx *rx);

#endif
