/* Network devices: the interface between a NIC driver (virtio-net) and the stack (net/, lwIP). */
#ifndef SKIFF_NETDEV_H
#define SKIFF_NETDEV_H

#include <stddef.h>
#include <stdint.h>

/*
 * Design
 * ------
 * - Discovery: netdev_get(i) probes every driver once, lazily, on the first
 *   call (or the first blkdev_get); an image that never asks pays nothing at
 *   boot. Devices are numbered in probe order (virtio-mmio slots, then PCI).
 * - Threads, not busy polling: each started device owns one driver thread.
 *   The device's IRQ handler only acknowledges the interrupt and wakes that
 *   thread; the thread reclaims finished transmissions, hands received frames
 *   up through the rx callback, refills the receive ring and goes back to
 *   sleep. When nothing arrives the CPU halts. netdev_xmit never depends on
 *   that thread: a sender waiting for ring space is woken by the IRQ itself
 *   (so the rx callback may block on a lock a sender holds).
 * - Zero-copy both ways. Transmit: the stack passes a scatter list (a pbuf
 *   chain) and a cookie; the device reads the memory in place and the driver
 *   calls tx_done(cookie) once it has finished with it. Receive: the driver
 *   allocates each receive buffer (struct netdev_rxbuf), the stack keeps it as
 *   long as it likes (e.g. inside an lwIP custom pbuf, built in rxb->user[])
 *   and returns it with netdev_rx_free().
 * - Memory: any mapped kernel memory works for transmit (static data, heap,
 *   thread stacks); the driver translates addresses and splits segments that
 *   cross a page of a non-identity mapping.
 *
 * Errors: functions that can fail return 0 (or a count) on success and a
 * negative errno value (newlib's numbering: -EINVAL, -EIO, -ENOMEM,
 * -ENETDOWN, -EMSGSIZE, -EBUSY, -ENODEV) on failure. panic is kept for
 * broken driver invariants (a device returning a descriptor it never got).
 *
 * Non-goals: multiple queues, TSO/GSO, VLAN offload, device hot-plug,
 * unregistering a device.
 */

struct netdev;

/* ---------------------------------------------------------------------------
 * User side (net/)
 * ------------------------------------------------------------------------ */

/* Feature flags in netdev.features. */
#define NETDEV_F_TX_CSUM   0x1u /* device completes L4 checksums (netdev_txmeta) */
#define NETDEV_F_RX_CSUM   0x2u /* device may mark received frames NETDEV_RX_CSUM_OK */
#define NETDEV_F_LINK      0x4u /* link state is reported (else always up) */

#define NETDEV_SG_MAX 16 /* most segments one frame may have */

/* One piece of an outgoing frame: any mapped kernel memory. */
struct netdev_sg {
	const void *base;
	size_t len;
};

/* Transmit metadata; pass NULL for "checksums already complete". */
#define NETDEV_TX_NEEDS_CSUM 0x1u
struct netdev_txmeta {
	uint32_t flags;       /* NETDEV_TX_NEEDS_CSUM, only with NETDEV_F_TX_CSUM */
	/* With NEEDS_CSUM: the device sums bytes [csum_start, end of frame) and
	 * stores the result at csum_start + csum_offset (offsets from the start
	 * of the Ethernet header). That 16-bit field must hold the pseudo-header
	 * checksum (not inverted), as for virtio's VIRTIO_NET_HDR_F_NEEDS_CSUM
	 * and Linux's CHECKSUM_PARTIAL. */
	uint16_t csum_start;
	uint16_t csum_offset;
};

/* A received buffer, allocated by the driver. The frame (Ethernet header
 * first, no FCS) is data[0..len). */
#define NETDEV_RX_CSUM_OK 0x1u /* L4 checksum known good (or completed by the driver) */
struct netdev_rxbuf {
	struct netdev_rxbuf *next; /* next piece of the same frame, or NULL */
	uint8_t *data;
	uint16_t len;
	uint16_t flags;            /* NETDEV_RX_CSUM_OK (set on the first piece) */
	/* Scratch space owned by the stack while it holds the buffer, e.g. for an
	 * lwIP struct pbuf_custom (32 bytes on x86-64). */
	uint64_t user[8];
};

/* Called by the driver thread (thread context, interrupts on; it may block
 * briefly, take the lwIP core lock and even call netdev_xmit) for each frame
 * received. The stack now owns every piece in the rxb->next chain and
 * returns each one with netdev_rx_free(). A frame carries its checksum
 * status: either NETDEV_RX_CSUM_OK, or a complete checksum to verify (the
 * driver fills in checksums the device left partial). */
typedef void (*netdev_rx_fn)(struct netdev *nd, struct netdev_rxbuf *rxb, void *arg);
/* Called with the cookie given to netdev_xmit once the device no longer reads
 * that frame's memory: from the driver thread (without any lock of the
 * stack's), or from inside netdev_xmit (this call, when the frame had to be
 * copied, or a later one). Always thread context, never an IRQ handler. */
typedef void (*netdev_tx_done_fn)(struct netdev *nd, void *cookie, void *arg);
/* Called from the driver thread when the link goes up or down (optional). */
typedef void (*netdev_link_fn)(struct netdev *nd, int up, void *arg);

struct netdev_callbacks {
	netdev_rx_fn rx;           /* required */
	netdev_tx_done_fn tx_done; /* optional: NULL = the driver copies each frame */
	netdev_link_fn link;       /* optional */
	void *arg;                 /* passed to all three */
};

struct netdev {
	/* Read-only for the stack once netdev_get() has returned it. */
	char name[8];              /* "net0" */
	uint8_t mac[6];
	uint16_t mtu;              /* L3 payload, 1500 */
	uint32_t features;         /* NETDEV_F_* */
	volatile int link_up;      /* 1 = up (written by the driver thread) */
	uint32_t rx_pool;          /* receive buffers the driver has in all: what the stack may
	                            * hold at once without starving the receive ring */

	/* Driver side: below is not for the stack. */
	const struct netdev_ops *ops;
	struct netdev_callbacks cb; /* set by netdev_start */
	int started;
	void *priv;
};

/* The i-th network device (0 = first), probing drivers on the first call.
 * NULL when there is no such device. Thread context. */
struct netdev *netdev_get(unsigned index);

/* Register the callbacks, fill the receive ring, start the driver thread and
 * enable interrupts. Once per device. 0, -EBUSY (already started), -EINVAL
 * (no rx callback), -ENOMEM. */
int netdev_start(struct netdev *nd, const struct netdev_callbacks *cb);

/* Queue one frame (Ethernet header first, 14 to mtu + 14 bytes, no FCS, no
 * padding after the IP datagram when NETDEV_TX_NEEDS_CSUM: the device sums
 * to the end of the frame) for transmission. Thread context; may sleep while
 * the transmit ring is full. With a tx_done callback the device reads the
 * segments in place and tx_done(cookie) follows; without one the frame is
 * copied and the memory is free on return. 0, -EMSGSIZE (size, or more than
 * NETDEV_SG_MAX segments), -EINVAL (meta asks for an offload the device
 * lacks), -ENOMEM (no bounce buffer), -ENETDOWN (device failed or not
 * started). */
int netdev_xmit(struct netdev *nd, const struct netdev_sg *sg, unsigned nsg,
		const struct netdev_txmeta *meta, void *cookie);

/* Give one received buffer back to its driver (not the ->next chain). Any
 * thread context, also with interrupts off; never from an IRQ handler. */
void netdev_rx_free(struct netdev *nd, struct netdev_rxbuf *rxb);

/* Frames queued by netdev_xmit that the device has not yet taken (finished
 * ones are reclaimed first); 0 when the device failed or never started. The
 * stack polls it at exit so that nothing it sent is lost to power-off. Thread
 * context. */
unsigned netdev_tx_pending(struct netdev *nd);

/* ---------------------------------------------------------------------------
 * Driver side (drivers/)
 * ------------------------------------------------------------------------ */

struct netdev_ops {
	int (*start)(struct netdev *nd);
	int (*xmit)(struct netdev *nd, const struct netdev_sg *sg, unsigned nsg,
		    const struct netdev_txmeta *meta, void *cookie);
	void (*rx_free)(struct netdev *nd, struct netdev_rxbuf *rxb);
	unsigned (*tx_pending)(struct netdev *nd); /* optional: NULL = never holds frames */
};

/* Add a device to the table (called by drivers during drivers_probe).
 * Fills in nd->name. 0, or -ENOSPC when the table is full. */
int netdev_register(struct netdev *nd);

#endif
