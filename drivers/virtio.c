/* virtio device initialisation (virtio 1.x §3.1) and virtqueue set-up common to all transports. */
#include <skiff/mm.h>
#include <skiff/console.h>
#include "virtio.h"
#include "kerrno.h"

void *drv_zalloc(unsigned long bytes)
{
	return mm_pages_alloc((bytes + PAGE_SIZE - 1) / PAGE_SIZE);
}

void drv_free(void *p, unsigned long bytes)
{
	if (!p)
		return;
	for (unsigned long off = 0; off < bytes; off += PAGE_SIZE)
		mm_page_free((char *)p + off);
}

char *drv_put_str(char *d, const char *s)
{
	while (*s)
		*d++ = *s++;
	*d = 0;
	return d;
}

char *drv_put_hex(char *d, unsigned long v, int digits)
{
	char tmp[16];
	int n = 0;
	do {
		tmp[n++] = "0123456789abcdef"[v & 15];
		v >>= 4;
	} while (v || n < digits);
	while (n)
		*d++ = tmp[--n];
	*d = 0;
	return d;
}

char *drv_put_dec(char *d, unsigned long v)
{
	char tmp[20];
	int n = 0;
	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		*d++ = tmp[--n];
	*d = 0;
	return d;
}

const char *virtio_where(struct virtio_dev *vd)
{
	if (!vd->where[0] && vd->ops->describe)
		vd->ops->describe(vd);
	return vd->where;
}

int virtio_negotiate(struct virtio_dev *vd, uint64_t wanted, uint64_t required)
{
	const struct virtio_transport_ops *o = vd->ops;
	/* step 1; a device still at status 0 is in its reset state already (QEMU resets
	 * every queue of it, 1024, on each reset: a tenth of a console's attach under TCG) */
	if (o->get_status(vd))
		o->reset(vd);
	o->set_status(vd, VIRTIO_STATUS_ACKNOWLEDGE);               /* step 2 */
	o->set_status(vd, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER); /* step 3 */
	uint64_t offered = o->get_features(vd);                     /* step 4 */
	if (!vd->legacy) {
		wanted |= VIRTIO_F_VERSION_1;
		required |= VIRTIO_F_VERSION_1;
	} else {
		wanted &= 0xffffffffu; /* legacy: 32 feature bits */
	}
	if ((offered & required) != required) {
		klog("skiff: virtio %s: device lacks features %lx\n", virtio_where(vd),
		     (unsigned long)(required & ~offered));
		virtio_fail(vd);
		return -ENOTSUP;
	}
	vd->features = offered & wanted;
	o->set_features(vd, vd->features);
	if (vd->legacy)
		return 0; /* §3.1.2: legacy devices have no FEATURES_OK */
	o->set_status(vd, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER |
			      VIRTIO_STATUS_FEATURES_OK);           /* step 5 */
	if (!(o->get_status(vd) & VIRTIO_STATUS_FEATURES_OK)) {      /* step 6 */
		klog("skiff: virtio %s: features %lx refused\n", virtio_where(vd),
		     (unsigned long)vd->features);
		virtio_fail(vd);
		return -ENODEV;
	}
	return 0;
}

void virtio_driver_ok(struct virtio_dev *vd)
{
	vd->ops->set_status(vd, (uint8_t)(vd->ops->get_status(vd) | VIRTIO_STATUS_DRIVER_OK));
}

void virtio_fail(struct virtio_dev *vd)
{
	vd->ops->set_status(vd, (uint8_t)(vd->ops->get_status(vd) | VIRTIO_STATUS_FAILED));
	vd->ops->reset(vd);
}

int virtio_queue_setup(struct virtio_dev *vd, struct virtq *vq, unsigned idx, uint16_t max_size)
{
	uint16_t size = vd->ops->queue_max(vd, idx);
	if (size == 0 || (size & (size - 1)))
		return -ENODEV; /* no such queue (split rings are powers of two) */
	if (vd->ops->can_resize_queue && size > max_size)
		size = max_size;
	size_t bytes = virtq_mem_size(size, vd->ring_align);
	void *mem = drv_zalloc(bytes);
	void **cookies = drv_zalloc(size * sizeof(void *));
	if (!mem || !cookies) {
		drv_free(mem, bytes);
		drv_free(cookies, size * sizeof(void *));
		return -ENOMEM;
	}
	virtq_init(vq, (uint16_t)idx, size, mem, vd->ring_align, cookies);
	int err = vd->ops->queue_enable(vd, vq);
	if (err) {
		virtio_queue_free(vq);
		return err;
	}
	return 0;
}

int virtio_start_one_queue(struct virtio_dev *vd, struct virtq *vq, uint16_t max_size,
			   void (*irq)(void *arg, unsigned causes), int (*publish)(void *arg),
			   void *arg)
{
	int err = virtio_queue_setup(vd, vq, 0, max_size);      /* step 7 */
	if (err)
		goto fail;
	err = vd->ops->irq_attach(vd, irq, arg);
	if (err)
		goto fail_queue;
	err = publish(arg);
	if (err)
		goto fail_irq;
	virtio_driver_ok(vd);                                    /* step 8 */
	return 0;

fail_irq:
	vd->ops->irq_detach(vd);
fail_queue:
	vd->ops->reset(vd); /* the device lets go of the rings before they are freed */
	virtio_queue_free(vq);
fail:
	virtio_fail(vd);
	return err;
}

void virtio_queue_free(struct virtq *vq)
{
	if (vq->mem)
		drv_free(vq->mem, vq->mem_bytes);
	if (vq->cookies)
		drv_free(vq->cookies, vq->size * sizeof(void *));
	vq->mem = 0;
	vq->cookies = 0;
}

void virtio_kick(struct virtio_dev *vd, struct virtq *vq)
{
	virtq_publish(vq);
	if (virtq_should_notify(vq))
		vd->ops->notify(vd, vq);
}
