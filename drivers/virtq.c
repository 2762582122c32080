/* Split virtqueues (virtio 1.x §2.7): portable ring logic, unit-tested on the host. */
#include "virtq.h"

/* x86-64 is TSO: stores are seen in order and loads are not reordered with
 * older loads, so only the compiler must be held back, except for the
 * store-then-load checks of §2.7.10/§2.7.7, which need a full fence. */
#define wmb() __atomic_thread_fence(__ATOMIC_RELEASE)
#define rmb() __atomic_thread_fence(__ATOMIC_ACQUIRE)
#define mb()  __atomic_thread_fence(__ATOMIC_SEQ_CST)

static size_t align_up(size_t v, size_t a)
{
	return (v + a - 1) & ~(a - 1);
}

size_t virtq_avail_offset(uint16_t size)
{
	return 16u * size;
}

size_t virtq_used_offset(uint16_t size, unsigned align)
{
	/* §2.7.2: avail is flags, idx, ring[size], used_event. */
	return align_up(virtq_avail_offset(size) + 6u + 2u * size, align);
}

size_t virtq_mem_size(uint16_t size, unsigned align)
{
	/* used is flags, idx, ring[size], avail_event */
	return virtq_used_offset(size, align) + align_up(6u + 8u * size, align);
}

void virtq_init(struct virtq *vq, uint16_t index, uint16_t size, void *mem, unsigned align,
		void **cookies)
{
	uint8_t *m = mem;
	vq->size = size;
	vq->index = index;
	vq->desc = (struct virtq_desc *)m;
	vq->avail = (struct virtq_avail *)(m + virtq_avail_offset(size));
	vq->used = (struct virtq_used *)(m + virtq_used_offset(size, align));
	vq->cookies = cookies;
	vq->mem = mem;
	vq->mem_bytes = virtq_mem_size(size, align);
	for (uint16_t i = 0; i < size; i++) {
		vq->desc[i].next = (uint16_t)(i + 1 < size ? i + 1 : 0);
		cookies[i] = 0;
	}
	vq->free_head = 0;
	vq->num_free = size;
	vq->avail_idx = 0;
	vq->last_used = 0;
	vq->broken = 0;
	vq->avail->flags = 0;
	vq->avail->idx = 0;
}

int virtq_add(struct virtq *vq, const struct virtq_buf *bufs, unsigned n_out, unsigned n_in,
	      void *cookie)
{
	unsigned n = n_out + n_in;
	if (n == 0 || n > vq->num_free || !cookie)
		return -1;
	uint16_t head = vq->free_head, d = head, last = head;
	for (unsigned i = 0; i < n; i++) {
		struct virtq_desc *desc = &vq->desc[d];
		desc->addr = bufs[i].addr;
		desc->len = bufs[i].len;
		desc->flags = (uint16_t)((i >= n_out ? VIRTQ_DESC_F_WRITE : 0) |
					 (i + 1 < n ? VIRTQ_DESC_F_NEXT : 0));
		last = d;
		d = desc->next;
	}
	vq->free_head = vq->desc[last].next; /* the free list continues after the chain */
	vq->num_free = (uint16_t)(vq->num_free - n);
	vq->cookies[head] = cookie;
	/* §2.7.13.2 Updating The Available Ring */
	vq->avail->ring[vq->avail_idx & (vq->size - 1)] = head;
	vq->avail_idx++;
	return head;
}

void virtq_publish(struct virtq *vq)
{
	wmb(); /* descriptors and ring entries before idx (§2.7.13.3.1) */
	__atomic_store_n(&vq->avail->idx, vq->avail_idx, __ATOMIC_RELEASE);
}

int virtq_should_notify(struct virtq *vq)
{
	mb(); /* idx store before the flags load (§2.7.10.1) */
	return !(__atomic_load_n(&vq->used->flags, __ATOMIC_ACQUIRE) & VIRTQ_USED_F_NO_NOTIFY);
}

int virtq_has_used(const struct virtq *vq)
{
	return __atomic_load_n(&vq->used->idx, __ATOMIC_ACQUIRE) != vq->last_used;
}

void *virtq_get_used(struct virtq *vq, uint32_t *len)
{
	if (!virtq_has_used(vq))
		return 0;
	rmb(); /* idx before the element (§2.7.14) */
	struct virtq_used_elem e = vq->used->ring[vq->last_used & (vq->size - 1)];
	vq->last_used++;
	if (e.id >= vq->size || !vq->cookies[e.id]) {
		vq->broken = 1; /* a device bug; the driver gives up on the device */
		return 0;
	}
	void *cookie = vq->cookies[e.id];
	vq->cookies[e.id] = 0;
	/* Return the chain to the free list. */
	uint16_t d = (uint16_t)e.id, n = 1;
	while (vq->desc[d].flags & VIRTQ_DESC_F_NEXT) {
		d = vq->desc[d].next;
		n++;
	}
	vq->desc[d].next = vq->free_head;
	vq->free_head = (uint16_t)e.id;
	vq->num_free = (uint16_t)(vq->num_free + n);
	if (len)
		*len = e.len;
	return cookie;
}

void virtq_intr_disable(struct virtq *vq)
{
	__atomic_store_n(&vq->avail->flags, VIRTQ_AVAIL_F_NO_INTERRUPT, __ATOMIC_RELAXED);
}

int virtq_intr_enable(struct virtq *vq)
{
	__atomic_store_n(&vq->avail->flags, 0, __ATOMIC_RELAXED);
	mb(); /* flags store before the idx load: no interrupt is lost */
	return virtq_has_used(vq);
}
