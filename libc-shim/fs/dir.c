/* Directory streams: opendir, readdir, closedir and friends over the fd table's readdir op. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "shim.h"
#include "vfs.h"

struct skiff_dir {
	int fd;
	long pos;
	struct dirent de;
};

void vfs_dirent(struct dirent *de, const char *name, size_t namelen, ino_t ino, mode_t mode)
{
	if (namelen > MAXNAMLEN)
		namelen = MAXNAMLEN;
	memcpy(de->d_name, name, namelen);
	de->d_name[namelen] = '\0';
	de->d_ino = ino;
	de->d_off = 0;
	de->d_reclen = sizeof(*de);
	de->d_type = S_ISDIR(mode) ? DT_DIR : S_ISREG(mode) ? DT_REG : S_ISCHR(mode) ? DT_CHR :
		     S_ISBLK(mode) ? DT_BLK : S_ISLNK(mode) ? DT_LNK : DT_UNKNOWN;
}

DIR *fdopendir(int fd)
{
	struct file *f = fd_get(fd);

	if (!f) {
		errno = EBADF;
		return NULL;
	}
	int isdir = f->ops->readdir != NULL;
	file_put(f);
	if (!isdir) {
		errno = ENOTDIR;
		return NULL;
	}
	DIR *d = calloc(1, sizeof(*d));
	if (!d) {
		errno = ENOMEM;
		return NULL;
	}
	d->fd = fd;
	return d;
}

DIR *opendir(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY);

	if (fd < 0)
		return NULL;
	DIR *d = fdopendir(fd);
	if (!d)
		close(fd);
	return d;
}

int readdir_r(DIR *d, struct dirent *entry, struct dirent **result)
{
	struct file *f = fd_get(d->fd);

	*result = NULL;
	if (!f)
		return EBADF;
	int r = f->ops->readdir ? f->ops->readdir(f, &d->pos, entry) : -ENOTDIR;
	file_put(f);
	if (r < 0)
		return -r;
	if (r > 0) {
		entry->d_off = d->pos;
		*result = entry;
	}
	return 0;
}

struct dirent *readdir(DIR *d)
{
	struct dirent *res;
	int err = readdir_r(d, &d->de, &res);

	if (err)
		errno = err;
	return res;
}

void rewinddir(DIR *d)
{
	d->pos = 0;
}

long telldir(DIR *d)
{
	return d->pos;
}

void seekdir(DIR *d, long pos)
{
	d->pos = pos;
}

int dirfd(DIR *d)
{
	return d->fd;
}

int closedir(DIR *d)
{
	int r = close(d->fd);

	free(d);
	return r;
}
