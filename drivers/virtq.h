/* Split virtqueues (virtio 1.x §2.7): ring layout, descriptor chains, notification suppression. */
#ifndef SKIFF_DRIVERS_VIRTQ_H
#define SKIFF_DRIVERS_VIRTQ_H

#include <stddef.h>
#include <stdint.h>

/*
 * Portable ring logic only: no allocation, no device access, no locking (so
 * tests/unit/test_virtq.c runs it on the host against a simulated device).
 * The caller gives the memory (physically contiguous, zeroed, identity-mapped
 * in the kernel) and serialises calls (drivers hold interrupts off or a lock).
 * Addresses written into descriptors are the ones the caller passes: physical.
 */

/* §2.7.5 The Virtqueue Descriptor Table */
#define VIRTQ_DESC_F_NEXT     1
#define VIRTQ_DESC_F_WRITE    2 /* device writes (otherwise device reads) */
#define VIRTQ_DESC_F_INDIRECT 4
struct virtq_desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags;
	uint16_t next;
};

/* §2.7.6 The Virtqueue Available Ring */
#define VIRTQ_AVAIL_F_NO_INTERRUPT 1
struct virtq_avail {
	uint16_t flags;
	uint16_t idx;
	uint16_t ring[]; /* size entries, then used_event (VIRTIO_F_EVENT_IDX only) */
};

/* §2.7.8 The Virtqueue Used Ring */
#define VIRTQ_USED_F_NO_NOTIFY 1
struct virtq_used_elem {
	uint32_t id;  /* head of the descriptor chain */
	uint32_t len; /* bytes the device wrote */
};
struct virtq_used {
	uint16_t flags;
	uint16_t idx;
	struct virtq_used_elem ring[]; /* size entries, then avail_event */
};

/* Legacy interfaces (§2.7.2 "Legacy Interfaces: A Note on Virtqueue Layout")
 * put the used ring on the next 4096-byte boundary; modern ones need only
 * 16/2/4-byte alignment of the three parts (§2.7 table). */
#define VIRTQ_LEGACY_ALIGN 4096
#define VIRTQ_MODERN_ALIGN 4

/* One buffer of a chain: physical address and length. */
struct virtq_buf {
	uint64_t addr;
	uint32_t len;
};

struct virtq {
	uint16_t size;       /* entries, a power of two (§2.7: Queue Size) */
	uint16_t index;      /* queue number within the device */
	struct virtq_desc *desc;
	struct virtq_avail *avail;
	struct virtq_used *used;
	void **cookies;      /* per head descriptor, NULL when free */
	uint16_t free_head;  /* free descriptors linked through desc[].next */
	uint16_t num_free;
	uint16_t avail_idx;  /* our copy of avail->idx, published by virtq_publish */
	uint16_t last_used;  /* next used->idx entry to consume */
	int broken;          /* the device returned a descriptor it never had */
	/* Transport's business (notify address etc.). */
	uint64_t notify_addr;
	void *mem;           /* start of the ring memory */
	size_t mem_bytes;
};

/* Bytes of ring memory for `size` entries with the used ring aligned to `align`. */
size_t virtq_mem_size(uint16_t size, unsigned align);

/* Lay the rings out in mem (zeroed, virtq_mem_size bytes, 4096-aligned) and
 * link every descriptor into the free list. cookies: size pointers. */
void virtq_init(struct virtq *vq, uint16_t index, uint16_t size, void *mem, unsigned align,
		void **cookies);

/* Offsets of the avail and used rings from the start of mem. */
size_t virtq_avail_offset(uint16_t size);
size_t virtq_used_offset(uint16_t size, unsigned align);

/* §2.7.13 Supplying Buffers to The Device: chain n_out device-readable then
 * n_in device-writable buffers, put the head in the available ring (not yet
 * visible: see virtq_publish). cookie (non-NULL) comes back from
 * virtq_get_used. Returns the head index, or -1 when fewer than n_out + n_in
 * descriptors are free. */
int virtq_add(struct virtq *vq, const struct virtq_buf *bufs, unsigned n_out, unsigned n_in,
	      void *cookie);

/* §2.7.13.3 Updating idx: make added chains visible to the device. */
void virtq_publish(struct virtq *vq);

/* §2.7.10 Available Buffer Notification Suppression: after publishing, does
 * the device want a notification? */
int virtq_should_notify(struct virtq *vq);

/* §2.7.14 Receiving Used Buffers: the next finished chain's cookie (its
 * descriptors are freed) and *len, or NULL when none is pending (or the
 * entry was bogus: then vq->broken is set). */
void *virtq_get_used(struct virtq *vq, uint32_t *len);
int virtq_has_used(const struct virtq *vq);

/* §2.7.7 Used Buffer Notification Suppression. enable returns 1 when used
 * entries arrived meanwhile (process them before sleeping). */
void virtq_intr_disable(struct virtq *vq);
int virtq_intr_enable(struct virtq *vq);

#endif
