/* statvfs/fstatvfs: /tmp lives in RAM (its free space is the guest's free memory); the initrd and /dev are read-only and full; volumes ask the host. */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>

#include "shim.h"
#include "p9fs.h"
#include "vfs.h"

#define FS_BLOCK 4096

/* Figures for the file system with st_dev dev. */
static void fill(dev_t dev, struct statvfs *buf)
{
	memset(buf, 0, sizeof(*buf));
	buf->f_bsize = buf->f_frsize = FS_BLOCK;
	buf->f_fsid = dev;
	buf->f_namemax = 255;
	if (dev == VFS_DEV_RAMFS) {
		buf->f_blocks = mm_total_bytes() / FS_BLOCK;
		buf->f_bfree = buf->f_bavail = mm_free_bytes() / FS_BLOCK;
		/* a node costs a small allocation: as many as free blocks, at least */
		buf->f_files = buf->f_blocks;
		buf->f_ffree = buf->f_favail = buf->f_bfree;
		buf->f_flag = ST_NOSUID;
	} else {
		buf->f_flag = ST_RDONLY | ST_NOSUID;
	}
}

/* A volume asks its host (Tstatfs); the others are filled in here. */
static int by_dev(dev_t dev, struct statvfs *buf)
{
	struct p9vol *v = vfs_volume_by_dev(dev);

	if (v)
		return (int)fd_ret(p9fs_statvfs(v, buf));
	fill(dev, buf);
	return 0;
}

int statvfs(const char *restrict path, struct statvfs *restrict buf)
{
	struct stat st;

	if (stat(path, &st))
		return -1;
	return by_dev(st.st_dev, buf);
}

int fstatvfs(int fd, struct statvfs *buf)
{
	struct stat st;

	if (fstat(fd, &st))
		return -1;
	return by_dev(st.st_dev, buf);
}
