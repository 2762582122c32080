/* The block device table and the user-side calls of include/skiff/blkdev.h (range checks). */
#include <skiff/blkdev.h>
#include "kerrno.h"
#include "probe.h"

#define BLKDEV_MAX 4

/* Written during drivers_probe (under its lock), read-only afterwards. */
static struct blkdev *devs[BLKDEV_MAX];
static unsigned ndevs;

/* Linking blkdev_get links the virtio-blk driver (probe.c names it weakly). */
static int (*const keep_driver)(struct virtio_dev *) __attribute__((used)) = virtio_blk_attach;

int blkdev_register(struct blkdev *bd)
{
	if (ndevs == BLKDEV_MAX)
		return -ENOSPC;
	bd->name[0] = 'v';
	bd->name[1] = 'd';
	bd->name[2] = (char)('a' + ndevs);
	bd->name[3] = 0;
	devs[ndevs++] = bd;
	return 0;
}

struct blkdev *blkdev_get(unsigned index)
{
	drivers_probe();
	return index < ndevs ? devs[index] : 0;
}

static int range_ok(const struct blkdev *bd, uint64_t sector, size_t count, const void *buf)
{
	return buf && count && sector < bd->sectors && count <= bd->sectors - sector;
}

int blkdev_read(struct blkdev *bd, uint64_t sector, void *buf, size_t count)
{
	if (!range_ok(bd, sector, count, buf))
		return -EINVAL;
	return bd->ops->rw(bd, 0, sector, buf, count);
}

int blkdev_write(struct blkdev *bd, uint64_t sector, const void *buf, size_t count)
{
	if (!range_ok(bd, sector, count, buf))
		return -EINVAL;
	if (bd->features & BLKDEV_F_RO)
		return -EROFS;
	return bd->ops->rw(bd, 1, sector, (void *)buf, count);
}

int blkdev_flush(struct blkdev *bd)
{
	if (!(bd->features & BLKDEV_F_FLUSH) || !bd->ops->flush)
		return -ENOTSUP;
	return bd->ops->flush(bd);
}
