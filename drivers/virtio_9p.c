/* virtio-9p (virtio 1.x §5.11 "9P Transport"): one request queue carrying 9P messages; blocking exchanges from thread context. */
#include <skiff/console.h>
#include <skiff/irq.h>
#include <skiff/p9dev.h>
#include <skiff/sync.h>
#include "kerrno.h"
#include "probe.h"
#include "virtio.h"

#define VIRTIO_9P_MOUNT_TAG (1ULL << 0) /* config space holds the tag */
#define CFG_TAG_LEN 0                    /* le16 */
#define CFG_TAG 2                        /* tag_len bytes, no NUL */
#define QUEUE_MAX 128

/* One exchange in flight; lives on the caller's stack. */
struct v9p_req {
	volatile int done;
	uint32_t len; /* bytes the device wrote */
	struct sk_waitq wq;
};

struct v9p {
	struct p9dev pd;
	struct virtio_dev *vd;
	struct virtq vq;          /* interrupts off */
	struct sk_waitq space_wq; /* threads waiting for free descriptors */
	int broken;
};

/* Interrupts off: finish every completed exchange. */
static void v9p_irq(void *arg, unsigned causes)
{
	struct v9p *v = arg;
	(void)causes;
	struct v9p_req *r;
	uint32_t len;
	while ((r = virtq_get_used(&v->vq, &len))) {
		r->len = len;
		r->done = 1;
		waitq_wake_one(&r->wq);
	}
	if (v->vq.broken && !v->broken) {
		v->broken = 1;
		klog("skiff: virtio-9p %s: device returned a bad descriptor\n", virtio_where(v->vd));
	}
	waitq_wake_all(&v->space_wq);
}

/* Cut each segment into physically contiguous pieces after bufs[*n]. */
static int v9p_pieces(const struct p9_seg *segs, unsigned nseg, struct virtq_buf *bufs,
		      unsigned *n)
{
	for (unsigned i = 0; i < nseg; i++) {
		const char *p = segs[i].buf;
		size_t left = segs[i].len;
		while (left) {
			size_t len = dma_contig(p, left);
			if (len == 0 || *n == P9DEV_SEGS_MAX)
				return -EINVAL;
			if (len > 0x80000000u)
				len = 0x80000000u;
			bufs[*n].addr = dma_phys(p);
			bufs[(*n)++].len = (uint32_t)len;
			p += len;
			left -= len;
		}
	}
	return 0;
}

static long v9p_rpc(struct p9dev *pd, const struct p9_seg *out, unsigned nout,
		    const struct p9_seg *in, unsigned nin)
{
	struct v9p *v = pd->priv;
	struct virtq_buf bufs[P9DEV_SEGS_MAX];
	unsigned n = 0;
	int err = v9p_pieces(out, nout, bufs, &n);
	unsigned n_out = n;
	if (!err)
		err = v9p_pieces(in, nin, bufs, &n);
	if (err)
		return err;
	if (n > v->vq.size || n_out == 0 || n == n_out)
		return -EINVAL;
	struct v9p_req r = { 0 };
	unsigned long f = irq_save();
	while (!v->broken && virtq_add(&v->vq, bufs, n_out, n - n_out, &r) < 0)
		waitq_wait(&v->space_wq, 0);
	if (v->broken) {
		irq_restore(f);
		return -EIO;
	}
	virtio_kick(v->vd, &v->vq);
	while (!r.done)
		waitq_wait(&r.wq, 0);
	irq_restore(f);
	return r.len;
}

static int v9p_publish(void *arg)
{
	struct v9p *v = arg;
	return p9dev_register(&v->pd);
}

/* §3.1.1 Device Initialization for virtio-9p; one teardown path on failure. */
int virtio_9p_attach(struct virtio_dev *vd)
{
	int err = -ENOMEM;
	struct v9p *v = drv_zalloc(sizeof(*v));
	if (!v)
		goto fail;
	v->vd = vd;
	err = virtio_negotiate(vd, VIRTIO_9P_MOUNT_TAG, VIRTIO_9P_MOUNT_TAG);
	if (err)
		goto fail_free; /* the device is already reset */
	unsigned len = (unsigned)vd->ops->config_read(vd, CFG_TAG_LEN, 2);
	if (len > P9DEV_TAG_MAX)
		len = P9DEV_TAG_MAX;
	for (unsigned i = 0; i < len; i++)
		v->pd.tag[i] = (char)vd->ops->config_read(vd, CFG_TAG + i, 1);
	v->pd.tag[len] = 0;
	v->pd.rpc = v9p_rpc;
	v->pd.priv = v;
	err = virtio_start_one_queue(vd, &v->vq, QUEUE_MAX, v9p_irq, v9p_publish, v);
	if (!err)
		return 0;
fail_free:
	drv_free(v, sizeof(*v));
fail:
	klog("skiff: virtio-9p %s: attach failed (%d)\n", virtio_where(vd), err);
	return err;
}
