/* /dev/vdX as a file: byte-addressed reads and writes on a sector device; partial sectors
 * go through a bounce buffer (read-modify-write under the device's lock); fsync flushes. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <skiff/blkdev.h>
#include "blkfile.h"
#include "shim.h"
#include "vfs.h"

#define NBLK 4
#define BOUNCE_SECTORS 64 /* 32 KiB of 512-byte sectors a request at most */

/* One lock per device: a read-modify-write must not interleave with a write. */
static struct sk_mutex locks[NBLK] = { SK_MUTEX_INIT, SK_MUTEX_INIT, SK_MUTEX_INIT, SK_MUTEX_INIT };

static uint64_t capacity(const struct blkdev *bd)
{
	return bd->sectors * bd->sector_size;
}

/* Transfer [off, off + n) of the device, n > 0, within the device. */
static int transfer(struct blkdev *bd, int write, char *buf, size_t n, uint64_t off)
{
	size_t ss = bd->sector_size;
	char *bounce = NULL;
	int err = 0;

	while (n && !err) {
		uint64_t sector = off / ss;
		size_t head = (size_t)(off % ss);
		if (head == 0 && n >= ss) {
			/* Whole sectors straight from or to the caller's buffer. */
			size_t count = n / ss;
			err = write ? blkdev_write(bd, sector, buf, count)
				    : blkdev_read(bd, sector, buf, count);
			buf += count * ss;
			off += count * ss;
			n -= count * ss;
			continue;
		}
		if (!bounce && !(bounce = malloc(ss * BOUNCE_SECTORS)))
			return -ENOMEM;
		size_t span = head + n;
		size_t count = (span + ss - 1) / ss;
		if (count > BOUNCE_SECTORS)
			count = BOUNCE_SECTORS;
		size_t chunk = count * ss - head;
		if (chunk > n)
			chunk = n;
		if (!write || head || (head + chunk) % ss)
			err = blkdev_read(bd, sector, bounce, count);
		if (!err && write) {
			memcpy(bounce + head, buf, chunk);
			err = blkdev_write(bd, sector, bounce, count);
		} else if (!err) {
			memcpy(buf, bounce + head, chunk);
		}
		buf += chunk;
		off += chunk;
		n -= chunk;
	}
	free(bounce);
	return err;
}

static ssize_t io(struct file *f, int write, void *buf, size_t n, off_t off)
{
	struct blkdev *bd = f->priv;
	uint64_t cap = capacity(bd);

	if ((uint64_t)off >= cap)
		return write && n ? -ENOSPC : 0;
	if (n > cap - (uint64_t)off)
		n = (size_t)(cap - (uint64_t)off);
	if (!n)
		return 0;
	sk_mutex_lock(&locks[f->handle]);
	int err = transfer(bd, write, buf, n, (uint64_t)off);
	sk_mutex_unlock(&locks[f->handle]);
	return err ? err : (ssize_t)n;
}

static ssize_t b_pread(struct file *f, void *buf, size_t n, off_t off)
{
	return io(f, 0, buf, n, off);
}

static ssize_t b_pwrite(struct file *f, const void *buf, size_t n, off_t off)
{
	return io(f, 1, (void *)buf, n, off);
}

static int b_fsync(struct file *f)
{
	int err = blkdev_flush(f->priv);

	return err == -ENOTSUP ? 0 : err;
}

static void fill_stat(int index, const struct blkdev *bd, struct stat *st)
{
	memset(st, 0, sizeof(*st));
	st->st_mode = S_IFBLK | (bd->features & BLKDEV_F_RO ? 0444 : 0666);
	st->st_ino = (ino_t)(0x100 + index);
	st->st_dev = VFS_DEV_DEVFS;
	st->st_rdev = 0xfd00 + index;
	st->st_size = (off_t)capacity(bd);
	st->st_blksize = bd->sector_size;
	st->st_blocks = (blkcnt_t)(capacity(bd) / 512);
}

static int b_fstat(struct file *f, struct stat *st)
{
	fill_stat(f->handle, f->priv, st);
	return 0;
}

static const struct file_ops blk_ops = {
	.pread = b_pread,
	.pwrite = b_pwrite,
	.fsync = b_fsync,
	.fstat = b_fstat,
};

int blkfile_open(int index, int flags, struct file **out)
{
	struct blkdev *bd = index < NBLK ? blkdev_get((unsigned)index) : NULL;

	if (!bd)
		return flags & O_CREAT ? -EACCES : -ENOENT;
	if ((bd->features & BLKDEV_F_RO) && (flags & O_ACCMODE) != O_RDONLY)
		return -EROFS;
	if (!(*out = file_new(&blk_ops, flags, bd)))
		return -ENOMEM;
	(*out)->handle = index;
	return 0;
}

int blkfile_stat(int index, struct stat *st)
{
	struct blkdev *bd = index < NBLK ? blkdev_get((unsigned)index) : NULL;

	if (!bd)
		return -ENOENT;
	fill_stat(index, bd, st);
	return 0;
}
