/* 9P transports: the interface between the virtio-9p driver (moves request and reply bytes) and libc-shim's 9P client. */
#ifndef SKIFF_P9DEV_H
#define SKIFF_P9DEV_H

#include <stddef.h>
#include <stdint.h>

/*
 * Design
 * ------
 * - Discovery: p9dev_get(i) probes drivers once (shared with blkdev_get);
 *   devices are numbered in probe order and named by their mount tag.
 * - p9dev_rpc sends one 9P message (the device-readable segments, in order)
 *   and sleeps until the device has written the reply into the
 *   device-writable segments. Thread context; several threads may have
 *   requests in flight at once (9P tags tell them apart on the server).
 * - Segments: any mapped kernel memory; the driver splits them at physical
 *   discontinuities. At most P9DEV_SEGS_MAX pieces per request after the
 *   split (a 128 KiB buffer spans at most 33 pages).
 * The driver knows nothing of 9P's message format: libc-shim/fs/p9.c does.
 *
 * Errors: bytes the device wrote (>= 0), or -EIO (device error), -EINVAL
 * (too many pieces, unmapped buffer), -ENOMEM.
 */

#define P9DEV_SEGS_MAX 80
#define P9DEV_TAG_MAX 31

struct p9_seg {
	void *buf;
	size_t len;
};

struct p9dev {
	char tag[P9DEV_TAG_MAX + 1]; /* the mount tag (QEMU's mount_tag=), NUL-terminated */
	/* Driver side. */
	long (*rpc)(struct p9dev *d, const struct p9_seg *out, unsigned nout,
		    const struct p9_seg *in, unsigned nin);
	void *priv;
};

/* The i-th 9P device, probing drivers on the first call; NULL past the last. */
struct p9dev *p9dev_get(unsigned index);
/* One request/reply exchange (see above). */
long p9dev_rpc(struct p9dev *d, const struct p9_seg *out, unsigned nout, const struct p9_seg *in,
	       unsigned nin);

/* Driver side: add a device during drivers_probe. 0 or -ENOSPC. */
int p9dev_register(struct p9dev *d);

#endif
