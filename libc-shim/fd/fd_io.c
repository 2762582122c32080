/* read, write, lseek and friends: dispatch through the fd table; seekable files keep their position here. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "fd.h"
#include "shim.h"

#define ACCMODE(f) ((f)->flags & O_ACCMODE)

static int can_read(struct file *f)
{
	return ACCMODE(f) == O_RDONLY || ACCMODE(f) == O_RDWR;
}

static int can_write(struct file *f)
{
	return ACCMODE(f) == O_WRONLY || ACCMODE(f) == O_RDWR;
}

static long file_read(struct file *f, void *buf, size_t n)
{
	if (!can_read(f))
		return -EBADF;
	if (f->ops->read)
		return f->ops->read(f, buf, n);
	if (!f->ops->pread)
		return -EINVAL;
	sk_mutex_lock(&f->lock);
	long r = f->ops->pread(f, buf, n, f->pos);
	if (r > 0)
		f->pos += r;
	sk_mutex_unlock(&f->lock);
	return r;
}

static long file_write(struct file *f, const void *buf, size_t n)
{
	if (!can_write(f))
		return -EBADF;
	if (f->ops->write)
		return f->ops->write(f, buf, n);
	if (!f->ops->pwrite)
		return -EINVAL;
	sk_mutex_lock(&f->lock);
	long r = 0;
	if (f->flags & O_APPEND) {
		struct stat st;
		r = f->ops->fstat ? f->ops->fstat(f, &st) : -EINVAL;
		if (r == 0)
			f->pos = st.st_size;
	}
	if (r == 0) {
		r = f->ops->pwrite(f, buf, n, f->pos);
		if (r > 0)
			f->pos += r;
	}
	sk_mutex_unlock(&f->lock);
	return r;
}

_READ_WRITE_RETURN_TYPE read(int fd, void *buf, size_t n)
{
	struct file *f = fd_get(fd);
	if (!f)
		return fd_ret(-EBADF);
	long r = file_read(f, buf, n);
	file_put(f);
	return fd_ret(r);
}

_READ_WRITE_RETURN_TYPE write(int fd, const void *buf, size_t n)
{
	struct file *f = fd_get(fd);
	if (!f)
		return fd_ret(-EBADF);
	long r = file_write(f, buf, n);
	file_put(f);
	return fd_ret(r);
}

ssize_t pread(int fd, void *buf, size_t n, off_t off)
{
	struct file *f = fd_get(fd);
	if (!f)
		return fd_ret(-EBADF);
	long r = !can_read(f) ? -EBADF : !f->ops->pread ? -ESPIPE :
		 off < 0 ? -EINVAL : f->ops->pread(f, buf, n, off);
	file_put(f);
	return fd_ret(r);
}

ssize_t pwrite(int fd, const void *buf, size_t n, off_t off)
{
	struct file *f = fd_get(fd);
	if (!f)
		return fd_ret(-EBADF);
	long r = !can_write(f) ? -EBADF : !f->ops->pwrite ? -ESPIPE :
		 off < 0 ? -EINVAL : f->ops->pwrite(f, buf, n, off);
	file_put(f);
	return fd_ret(r);
}

/* readv/writev: the file's own vector operation, else one call per piece (a short
 * transfer ends the loop). */
static ssize_t vector_io(int fd, const struct iovec *iov, int iovcnt, int out)
{
	if (iovcnt < 0 || iovcnt > IOV_MAX)
		return fd_ret(-EINVAL);
	struct file *f = fd_get(fd);
	if (!f)
		return fd_ret(-EBADF);
	ssize_t (*whole)(struct file *, const struct iovec *, int) = out ? f->ops->writev
									 : f->ops->readv;
	if (whole && iovcnt > 0) {
		long r = !(out ? can_write(f) : can_read(f)) ? -EBADF : whole(f, iov, iovcnt);
		file_put(f);
		return fd_ret(r);
	}
	long total = 0;
	for (int i = 0; i < iovcnt; i++) {
		if (!iov[i].iov_len)
			continue;
		long r = out ? file_write(f, iov[i].iov_base, iov[i].iov_len)
			     : file_read(f, iov[i].iov_base, iov[i].iov_len);
		if (r < 0) {
			if (!total)
				total = r;
			break;
		}
		total += r;
		if ((size_t)r < iov[i].iov_len)
			break;
	}
	file_put(f);
	return fd_ret(total);
}

ssize_t readv(int fd, const struct iovec *iov, int iovcnt)
{
	return vector_io(fd, iov, iovcnt, 0);
}

ssize_t writev(int fd, const struct iovec *iov, int iovcnt)
{
	return vector_io(fd, iov, iovcnt, 1);
}

off_t lseek(int fd, off_t off, int whence)
{
	struct file *f = fd_get(fd);
	if (!f)
		return fd_ret(-EBADF);
	long r = -ESPIPE;
	if (f->ops->pread || f->ops->pwrite) {
		struct stat st;
		sk_mutex_lock(&f->lock);
		off_t base = whence == SEEK_SET ? 0 : whence == SEEK_CUR ? f->pos : -1;
		if (whence == SEEK_END)
			base = f->ops->fstat && f->ops->fstat(f, &st) == 0 ? st.st_size : -1;
		if (base < 0 || (off > 0 && base > (off_t)0x7fffffffffffffffLL - off) ||
		    base + off < 0) {
			r = -EINVAL;
		} else {
			f->pos = base + off;
			r = f->pos;
		}
		sk_mutex_unlock(&f->lock);
	}
	file_put(f);
	return fd_ret(r);
}

int fstat(int fd, struct stat *st)
{
	struct file *f = fd_get(fd);
	if (!f)
		return fd_ret(-EBADF);
	long r;
	if (f->ops->fstat) {
		r = f->ops->fstat(f, st);
	} else {
		memset(st, 0, sizeof(*st));
		st->st_mode = S_IFIFO | 0600;
		r = 0;
	}
	file_put(f);
	return fd_ret(r);
}

int isatty(int fd)
{
	struct file *f = fd_get(fd);
	if (!f) {
		errno = EBADF;
		return 0;
	}
	int tty = f->ops->tty;
	file_put(f);
	if (!tty)
		errno = ENOTTY;
	return tty;
}

int fsync(int fd)
{
	struct file *f = fd_get(fd);
	if (!f)
		return fd_ret(-EBADF);
	long r = f->ops->fsync ? f->ops->fsync(f) : 0;
	file_put(f);
	return fd_ret(r);
}

int fdatasync(int fd)
{
	return fsync(fd);
}

int ftruncate(int fd, off_t len)
{
	struct file *f = fd_get(fd);
	if (!f)
		return fd_ret(-EBADF);
	long r = !can_write(f) ? -EBADF : !f->ops->ftruncate ? -EINVAL :
		 len < 0 ? -EINVAL : f->ops->ftruncate(f, len);
	file_put(f);
	return fd_ret(r);
}

int ioctl(int fd, unsigned long req, ...)
{
	va_list ap;
	va_start(ap, req);
	void *arg = va_arg(ap, void *);
	va_end(ap);

	struct file *f = fd_get(fd);
	if (!f)
		return fd_ret(-EBADF);
	long r = -ENOTTY;
	if (req == FIONBIO && arg) {
		int on = *(int *)arg;
		int fl = on ? (f->flags | O_NONBLOCK) : (f->flags & ~O_NONBLOCK);
		r = f->ops->setfl ? f->ops->setfl(f, fl) : 0;
		if (r == 0)
			__atomic_store_n(&f->flags, fl, __ATOMIC_RELAXED);
	} else if (f->ops->ioctl) {
		r = f->ops->ioctl(f, req, arg);
	}
	file_put(f);
	return fd_ret(r);
}
