/* /dev/vdX: a block device as a seekable file (blkfile.c). */
#ifndef SKIFF_SHIM_BLKFILE_H
#define SKIFF_SHIM_BLKFILE_H

#include "fd.h"

struct stat;

/* Open block device `index` (0 = vda). 0, -ENOENT (no such device), -EROFS, -ENOMEM. */
int blkfile_open(int index, int flags, struct file **out);
/* stat() of block device `index`: 0 or -ENOENT. */
int blkfile_stat(int index, struct stat *st);

#endif
