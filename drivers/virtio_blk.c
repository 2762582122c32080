/* virtio-blk (virtio 1.x §5.2): blocking read/write/flush from thread context; the IRQ completes requests. */
#include <skiff/blkdev.h>
#include <skiff/console.h>
#include <skiff/irq.h>
#include <skiff/sync.h>
#include "kerrno.h"
#include "probe.h"
#include "virtio.h"

/* §5.2.3 Feature bits */
#define VIRTIO_BLK_F_SIZE_MAX (1ULL << 1)
#define VIRTIO_BLK_F_SEG_MAX  (1ULL << 2)
#define VIRTIO_BLK_F_RO       (1ULL << 5)
#define VIRTIO_BLK_F_BLK_SIZE (1ULL << 6)
#define VIRTIO_BLK_F_FLUSH    (1ULL << 9)

/* §5.2.4 Device configuration layout */
#define CFG_CAPACITY 0
#define CFG_SIZE_MAX 8
#define CFG_SEG_MAX  12

/* §5.2.6 Device Operation */
#define VIRTIO_BLK_T_IN    0
#define VIRTIO_BLK_T_OUT   1
#define VIRTIO_BLK_T_FLUSH 4
#define VIRTIO_BLK_S_OK    0

#define SECTOR 512u
#define QUEUE_MAX 128  /* ring entries we ask for */
#define SEGS_MAX 32    /* data segments per request (a stack array) */

struct vblk_req {
	/* Read by the device: struct virtio_blk_req's header. */
	uint32_t type, reserved;
	uint64_t sector;
	/* Written by the device. */
	uint8_t status;
	/* Ours; written by the IRQ handler with interrupts off. */
	volatile int done;
	struct sk_waitq wq;
} __attribute__((aligned(64))); /* the header never crosses a page */

struct vblk {
	struct blkdev bd;
	struct virtio_dev *vd;
	struct virtq vq;            /* interrupts off */
	struct sk_waitq space_wq;   /* threads waiting for free descriptors */
	uint32_t seg_bytes_max;     /* largest data segment (F_SIZE_MAX), else 0 */
	unsigned segs_max;          /* data segments per request */
	int broken;
};

/* Interrupts off: finish every completed request (§2.7.14). */
static void vblk_irq(void *arg, unsigned causes)
{
	struct vblk *vb = arg;
	(void)causes;
	struct vblk_req *r;
	while ((r = virtq_get_used(&vb->vq, 0))) {
		r->done = 1;
		waitq_wake_one(&r->wq);
	}
	if (vb->vq.broken && !vb->broken) {
		vb->broken = 1;
		klog("skiff: virtio-blk %s: device returned a bad descriptor\n", virtio_where(vb->vd));
	}
	waitq_wake_all(&vb->space_wq);
}

/* Put one request (header, data, status) on the ring and sleep until done. */
static int vblk_submit(struct vblk *vb, struct vblk_req *r, const struct virtq_buf *data,
		       unsigned ndata, int device_writes)
{
	struct virtq_buf bufs[SEGS_MAX + 2];
	unsigned n = 0;
	bufs[n].addr = dma_phys(r);
	bufs[n++].len = 16;
	for (unsigned i = 0; i < ndata; i++)
		bufs[n++] = data[i];
	bufs[n].addr = dma_phys(&r->status);
	bufs[n++].len = 1;
	r->status = 0xff;
	r->done = 0;
	r->wq.head = r->wq.tail = 0;
	unsigned n_out = device_writes ? 1 : n - 1;
	unsigned long f = irq_save();
	while (!vb->broken && virtq_add(&vb->vq, bufs, n_out, n - n_out, r) < 0)
		waitq_wait(&vb->space_wq, 0);
	if (vb->broken) {
		irq_restore(f);
		return -EIO;
	}
	virtio_kick(vb->vd, &vb->vq);
	while (!r->done)
		waitq_wait(&r->wq, 0);
	irq_restore(f);
	return r->status == VIRTIO_BLK_S_OK ? 0 : -EIO;
}

/* Cut [buf, buf + bytes) into physically contiguous segments; returns how
 * many bytes (a whole number of sectors) the segments cover. */
static size_t vblk_segments(struct vblk *vb, uint8_t *buf, size_t bytes, struct virtq_buf *seg,
			    unsigned *nseg)
{
	size_t total = 0;
	unsigned n = 0;
	while (total < bytes && n < vb->segs_max) {
		size_t len = dma_contig(buf + total, bytes - total);
		if (vb->seg_bytes_max && len > vb->seg_bytes_max)
			len = vb->seg_bytes_max;
		if (len == 0)
			break;
		seg[n].addr = dma_phys(buf + total);
		seg[n++].len = (uint32_t)len;
		total += len;
	}
	while (total % SECTOR) { /* stop on a sector boundary */
		size_t cut = total % SECTOR < seg[n - 1].len ? total % SECTOR : seg[n - 1].len;
		seg[n - 1].len -= (uint32_t)cut;
		total -= cut;
		if (seg[n - 1].len == 0)
			n--;
	}
	*nseg = n;
	return total;
}

static int vblk_rw(struct blkdev *bd, int write, uint64_t sector, void *buf, size_t count)
{
	struct vblk *vb = bd->priv;
	uint8_t *p = buf;
	size_t left = count * SECTOR;
	while (left) {
		struct virtq_buf seg[SEGS_MAX];
		unsigned nseg;
		size_t bytes = vblk_segments(vb, p, left, seg, &nseg);
		if (bytes == 0)
			return -EINVAL; /* unmapped buffer */
		struct vblk_req r = { .type = write ? VIRTIO_BLK_T_OUT : VIRTIO_BLK_T_IN,
				      .sector = sector };
		int err = vblk_submit(vb, &r, seg, nseg, !write);
		if (err)
			return err;
		p += bytes;
		left -= bytes;
		sector += bytes / SECTOR;
	}
	return 0;
}

/* §5.2.6.1: VIRTIO_BLK_T_FLUSH, no data. */
static int vblk_flush(struct blkdev *bd)
{
	struct vblk *vb = bd->priv;
	struct vblk_req r = { .type = VIRTIO_BLK_T_FLUSH };
	return vblk_submit(vb, &r, 0, 0, 1);
}

static const struct blkdev_ops vblk_ops = { .rw = vblk_rw, .flush = vblk_flush };

/* Segments per request as the queue and the device allow, then the disk joins blkdev. */
static int vblk_publish(void *arg)
{
	struct vblk *vb = arg;
	vb->segs_max = SEGS_MAX;
	if (vb->segs_max > vb->vq.size - 2u)
		vb->segs_max = vb->vq.size - 2u;
	if (vb->vd->features & VIRTIO_BLK_F_SEG_MAX) {
		uint32_t s = (uint32_t)vb->vd->ops->config_read(vb->vd, CFG_SEG_MAX, 4);
		if (s && s < vb->segs_max)
			vb->segs_max = s;
	}
	return blkdev_register(&vb->bd);
}

/* §3.1.1 Device Initialization for virtio-blk; one teardown path on failure. */
int virtio_blk_attach(struct virtio_dev *vd)
{
	int err = -ENOMEM;
	struct vblk *vb = drv_zalloc(sizeof(*vb));
	if (!vb)
		goto fail;
	vb->vd = vd;
	err = virtio_negotiate(vd, VIRTIO_BLK_F_SIZE_MAX | VIRTIO_BLK_F_SEG_MAX | VIRTIO_BLK_F_RO |
					   VIRTIO_BLK_F_BLK_SIZE | VIRTIO_BLK_F_FLUSH, 0);
	if (err)
		goto fail_free; /* the device is already reset */
	vb->bd.sector_size = SECTOR;
	vb->bd.sectors = vd->ops->config_read(vd, CFG_CAPACITY, 8);
	vb->bd.features = (vd->features & VIRTIO_BLK_F_RO ? BLKDEV_F_RO : 0) |
			  (vd->features & VIRTIO_BLK_F_FLUSH ? BLKDEV_F_FLUSH : 0);
	vb->bd.ops = &vblk_ops;
	vb->bd.priv = vb;
	if (vd->features & VIRTIO_BLK_F_SIZE_MAX)
		vb->seg_bytes_max = (uint32_t)vd->ops->config_read(vd, CFG_SIZE_MAX, 4);
	err = virtio_start_one_queue(vd, &vb->vq, QUEUE_MAX, vblk_irq, vblk_publish, vb);
	if (!err)
		return 0;
fail_free:
	drv_free(vb, sizeof(*vb));
fail:
	klog("skiff: virtio-blk %s: attach failed (%d)\n", virtio_where(vd), err);
	return err;
}
