/* virtio devices over any transport (virtio 1.x §2, §3): the transport ops and the common init steps. */
#ifndef SKIFF_DRIVERS_VIRTIO_H
#define SKIFF_DRIVERS_VIRTIO_H

#include <stdint.h>
#include "virtq.h"

/* §2.1 Device Status Field */
#define VIRTIO_STATUS_ACKNOWLEDGE 1
#define VIRTIO_STATUS_DRIVER      2
#define VIRTIO_STATUS_DRIVER_OK   4
#define VIRTIO_STATUS_FEATURES_OK 8
#define VIRTIO_STATUS_NEEDS_RESET 64
#define VIRTIO_STATUS_FAILED      128

/* §6 Reserved Feature Bits */
#define VIRTIO_F_NOTIFY_ON_EMPTY  (1ULL << 24)
#define VIRTIO_F_ANY_LAYOUT       (1ULL << 27)
#define VIRTIO_F_INDIRECT_DESC    (1ULL << 28)
#define VIRTIO_F_EVENT_IDX        (1ULL << 29)
#define VIRTIO_F_VERSION_1        (1ULL << 32)

/* §5 Device Types */
#define VIRTIO_ID_NET 1
#define VIRTIO_ID_BLK 2
#define VIRTIO_ID_CONSOLE 3
#define VIRTIO_ID_9P 9

/* Interrupt causes passed to the driver's handler (§4.2.2 InterruptStatus,
 * §4.1.4.5 ISR status; with MSI-X both bits, the cause is unknown). */
#define VIRTIO_INT_VRING  1
#define VIRTIO_INT_CONFIG 2

struct virtio_dev;

/* What a transport (virtio_mmio.c, virtio_pci.c) provides. */
struct virtio_transport_ops {
	void (*reset)(struct virtio_dev *vd); /* status 0, and wait until it reads 0 */
	uint8_t (*get_status)(struct virtio_dev *vd);
	void (*set_status)(struct virtio_dev *vd, uint8_t status);
	uint64_t (*get_features)(struct virtio_dev *vd);
	void (*set_features)(struct virtio_dev *vd, uint64_t features);
	/* Device-specific configuration, len 1, 2, 4 or 8, little-endian. */
	uint64_t (*config_read)(struct virtio_dev *vd, unsigned off, unsigned len);
	/* Largest queue size the device offers for queue idx, 0 if none. */
	uint16_t (*queue_max)(struct virtio_dev *vd, unsigned idx);
	/* Can the driver choose a smaller queue size (legacy PCI cannot)? */
	int can_resize_queue;
	/* Tell the device where vq's rings are and enable it. 0 or -errno. */
	int (*queue_enable)(struct virtio_dev *vd, struct virtq *vq);
	void (*notify)(struct virtio_dev *vd, struct virtq *vq);
	/* Route the device's interrupt to fn(arg, causes). 0 or -errno. */
	int (*irq_attach)(struct virtio_dev *vd, void (*fn)(void *arg, unsigned causes), void *arg);
	void (*irq_detach)(struct virtio_dev *vd);
	/* Fill vd->where, where the transport leaves it to the first line naming the device
	 * (NULL: filled at the probe). */
	void (*describe)(struct virtio_dev *vd);
};

struct virtio_dev {
	const struct virtio_transport_ops *ops;
	void *tp;               /* transport state */
	uint32_t device_id;     /* VIRTIO_ID_* */
	int legacy;             /* legacy interface (virtio 0.9.5 layout, 32 feature bits) */
	unsigned ring_align;    /* VIRTQ_LEGACY_ALIGN or VIRTQ_MODERN_ALIGN */
	uint64_t features;      /* negotiated */
	char where[24];         /* "mmio@0xfeb02e00", "pci@00:03.0": read it with virtio_where */
	char irq[24];           /* "gsi 47 level", "msi-x vector 56": for log lines */
};

/* §3.1.1 Driver Requirements: Device Initialization, steps 1-6: reset,
 * ACKNOWLEDGE, DRIVER, negotiate (wanted & offered; VIRTIO_F_VERSION_1 is
 * added for modern transports), FEATURES_OK and its check. 0, -ENODEV when
 * the device refuses, -ENOTSUP when a `required` bit is not offered. */
int virtio_negotiate(struct virtio_dev *vd, uint64_t wanted, uint64_t required);
/* Step 8: DRIVER_OK. */
void virtio_driver_ok(struct virtio_dev *vd);
/* On any failure after step 1: FAILED, then reset (§3.1.1, step 7 note). */
void virtio_fail(struct virtio_dev *vd);

/* §4.x queue set-up shared by transports: allocate ring memory for queue idx
 * (at most max_size entries; the device's size if it cannot be changed) and
 * enable it. 0 or -errno; on error nothing stays allocated. */
int virtio_queue_setup(struct virtio_dev *vd, struct virtq *vq, unsigned idx, uint16_t max_size);
/* Steps 7-8 for a device with one queue (index 0), after virtio_negotiate: set it up,
 * attach irq(arg), publish(arg) (register the device with its layer), DRIVER_OK. On a
 * failure everything is undone, the device marked failed and reset; the caller frees arg. */
int virtio_start_one_queue(struct virtio_dev *vd, struct virtq *vq, uint16_t max_size,
			   void (*irq)(void *arg, unsigned causes), int (*publish)(void *arg),
			   void *arg);
/* Free a queue's memory (the device must be reset first). Safe on a zeroed vq. */
void virtio_queue_free(struct virtq *vq);
/* The device in log lines: "mmio@0xfeb02e00", "pci@00:03.0" (formatted when first asked:
 * under TCG each first-run line of code costs its translation at every boot). */
const char *virtio_where(struct virtio_dev *vd);

/* Publish new buffers and notify the device if it asks for it. */
void virtio_kick(struct virtio_dev *vd, struct virtq *vq);

/* Log-string builders (no libc here): append, return the new end (NUL-terminated). */
char *drv_put_str(char *d, const char *s);
char *drv_put_dec(char *d, unsigned long v);
char *drv_put_hex(char *d, unsigned long v, int digits); /* digits 0: as many as needed */

/* Zeroed memory for driver state, whole pages; NULL when out of memory. It is one
 * physically contiguous, identity-mapped run (mm_pages_alloc): drv_dma gives the device
 * its address without a page-table walk, for the whole run. */
void *drv_zalloc(unsigned long bytes);
void drv_free(void *p, unsigned long bytes);
static inline uint64_t drv_dma(const void *p) { return (uint64_t)p; }

#endif
