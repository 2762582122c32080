/* The netrx fuzz target's pieces: a simulated virtio-net device under skiff's RX engine and netdev calls, and frame checksums. */
#ifndef SKIFF_FUZZ_NETRX_H
#define SKIFF_FUZZ_NETRX_H

#include <stddef.h>
#include <stdint.h>

#include <skiff/netdev.h>
#include "../../../drivers/virtio_net_rx.h"

#define NETRX_RING VNET_QUEUE_MAX     /* descriptors, as virtio-net asks for */
#define NETRX_TARGET VNET_RX_TARGET   /* receive buffers kept posted */
#define NETRX_CHUNKS VNET_CHUNKS_MAX  /* most chunks alive at once */
#define NETRX_TX_MAX 512  /* frames sent but not yet completed */

/* Negotiated features (the input's first byte). */
#define NETRX_F_LEGACY     0x01 /* legacy interface */
#define NETRX_F_MRG_RXBUF  0x02 /* VIRTIO_NET_F_MRG_RXBUF */
#define NETRX_F_ANY_LAYOUT 0x04 /* VIRTIO_F_ANY_LAYOUT (legacy only) */
#define NETRX_F_TX_CSUM    0x08 /* VIRTIO_NET_F_CSUM: TCP checksums offloaded on transmit */
#define NETRX_F_DHCP       0x10 /* the address comes from DHCP (skiff's default), not ip= */

/* How the device hands one packet over (a record's ctl byte). */
#define NETRX_C_FIX_CSUM   0x01 /* recompute the frame's IPv4 and L4 checksums first */
#define NETRX_C_NUM_BUFS   0x02 /* set num_buffers to the buffers used, as a real device does */
#define NETRX_C_TIMERS     0x04 /* afterwards, 250 ms pass: TCP, ARP and reassembly timers run */
#define NETRX_C_BAD_ID     0x08 /* the used entry names a descriptor never made available */
#define NETRX_C_CLAIM      0x30 /* what lengths the used entries claim: */
#define NETRX_CLAIM_EXACT  0x00 /*   the bytes written */
#define NETRX_CLAIM_FULL   0x10 /*   every buffer full */
#define NETRX_CLAIM_OVER   0x20 /*   one byte more than the buffer holds */
#define NETRX_CLAIM_SHORT  0x30 /*   half of the bytes written */
#define NETRX_C_LINK_FLAP  0x40 /* the link goes down and up again first */

struct netrx_dev {
	struct netdev nd;
	struct virtq rxq;
	void *ring_mem;
	void *cookies[NETRX_RING];
	struct vnet_rx rx;     /* the driver's receive engine (drivers/virtio_net_rx.c) */
	unsigned chunks;       /* chunks allocated and not freed (posted + held by lwIP) */
	uint16_t dev_avail;    /* the device's next available-ring index */
	void *tx[NETRX_TX_MAX];
	unsigned ntx;
	unsigned long frames_in, frames_out;
	int trace;             /* print a line per IPv4 frame sent */
};

/* netrx_dev.c */
void netrx_dev_init(struct netrx_dev *d, unsigned features);
/* The device writes one packet (virtio_net_hdr + frame) into posted buffers
 * and returns them used; piece: bytes per buffer (0: fill each); extra:
 * further empty used buffers. Without a posted buffer the packet is lost. */
void netrx_dev_receive(struct netrx_dev *d, unsigned ctl, unsigned piece, unsigned extra,
		      const uint8_t *pkt, size_t len);
/* The driver thread's turn: frames up to the stack, finished transmissions
 * back, refill. -1 once the ring is broken (the driver gives the device up). */
int netrx_dev_poll(struct netrx_dev *d);
/* Hand every transmitted frame back (tx_done). */
void netrx_dev_tx_done(struct netrx_dev *d);
/* Free the ring and whatever it still holds (the stack must hold nothing). */
void netrx_dev_destroy(struct netrx_dev *d);

/* netrx_csum.c */
void netrx_fix_csums(uint8_t *frame, size_t len);
/* NULL when every checksum an IPv4 frame carries is right, else why not. */
const char *netrx_check_csums(const uint8_t *frame, size_t len);

/* Abort with a message: an invariant of the code under test is broken. */
void netrx_fail(const char *what, ...) __attribute__((noreturn, format(printf, 1, 2)));

#endif
