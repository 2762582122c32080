/* Block devices: the interface between a disk driver (virtio-blk) and its users (libc-shim's /dev/vda). */
#ifndef SKIFF_BLKDEV_H
#define SKIFF_BLKDEV_H

#include <stddef.h>
#include <stdint.h>

/*
 * Design
 * ------
 * - Discovery: blkdev_get(i) probes every driver once, lazily, on the first
 *   call (shared with netdev_get); devices are numbered in probe order.
 * - Requests are blocking and made from thread context: the caller sleeps
 *   (the CPU halts if nothing else runs) until the device's interrupt says
 *   the request is done. Requests from several threads are serialised or
 *   queued by the driver; callers need no lock of their own.
 * - Buffers: any mapped kernel memory (static data, heap, thread stacks), no
 *   alignment needed; the driver translates addresses and splits buffers at
 *   page boundaries of non-identity mappings.
 * - Positions and lengths are in sectors of sector_size bytes.
 *
 * Errors: 0 on success, else a negative errno value (newlib's numbering):
 * -EINVAL (range beyond capacity, count 0, NULL buffer), -EROFS (write to a
 * read-only device), -EIO (the device reported an error), -ENOMEM, -ENOTSUP
 * (the device cannot flush: its writes are already durable or it offers no
 * way to tell; callers such as fsync may treat that as success).
 *
 * Non-goals: a page cache, partitions, discard/write-zeroes, hot-plug.
 */

struct blkdev;

/* ---------------------------------------------------------------------------
 * User side (libc-shim)
 * ------------------------------------------------------------------------ */

#define BLKDEV_F_RO    0x1u /* writes fail with -EROFS */
#define BLKDEV_F_FLUSH 0x2u /* blkdev_flush reaches stable storage */

struct blkdev {
	/* Read-only for users once blkdev_get() has returned it. */
	char name[8];          /* "vda", "vdb", ... */
	uint32_t sector_size;  /* bytes per sector (512) */
	uint64_t sectors;      /* capacity in sectors */
	uint32_t features;     /* BLKDEV_F_* */

	/* Driver side: below is not for users. */
	const struct blkdev_ops *ops;
	void *priv;
};

/* The i-th block device (0 = first), probing drivers on the first call.
 * NULL when there is no such device. Thread context. */
struct blkdev *blkdev_get(unsigned index);

/* Read / write count sectors starting at sector. Thread context; sleeps. */
int blkdev_read(struct blkdev *bd, uint64_t sector, void *buf, size_t count);
int blkdev_write(struct blkdev *bd, uint64_t sector, const void *buf, size_t count);
/* Make every completed write durable. Thread context; sleeps. */
int blkdev_flush(struct blkdev *bd);

/* ---------------------------------------------------------------------------
 * Driver side (drivers/)
 * ------------------------------------------------------------------------ */

struct blkdev_ops {
	/* write != 0: buf is the source. Range already checked by blkdev.c. */
	int (*rw)(struct blkdev *bd, int write, uint64_t sector, void *buf, size_t count);
	int (*flush)(struct blkdev *bd);
};

/* Add a device to the table (called by drivers during drivers_probe).
 * Fills in bd->name. 0, or -ENOSPC when the table is full. */
int blkdev_register(struct blkdev *bd);

#endif
