/* eventfd: a 64-bit counter as a file; write adds, read takes the count (or 1 with EFD_SEMAPHORE); readable in poll/select/epoll while nonzero. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fd.h"
#include "shim.h"

#define COUNT_MAX 0xfffffffffffffffeull

struct eventfd {
	struct sk_mutex lock;
	struct sk_cond changed; /* the count moved */
	uint64_t count;         /* (lock) */
	int semaphore;          /* EFD_SEMAPHORE */
};

static ssize_t efd_read(struct file *f, void *dst, size_t n)
{
	struct eventfd *e = f->priv;
	uint64_t v;

	if (n < sizeof(v))
		return -EINVAL;
	sk_mutex_lock(&e->lock);
	while (e->count == 0 && !(f->flags & O_NONBLOCK))
		sk_cond_wait_until(&e->changed, &e->lock, 0);
	if (e->count == 0) {
		sk_mutex_unlock(&e->lock);
		return -EAGAIN;
	}
	v = e->semaphore ? 1 : e->count;
	e->count -= v;
	sk_cond_broadcast(&e->changed);
	fd_ready_changed();
	sk_mutex_unlock(&e->lock);
	memcpy(dst, &v, sizeof(v));
	return sizeof(v);
}

static ssize_t efd_write(struct file *f, const void *src, size_t n)
{
	struct eventfd *e = f->priv;
	uint64_t v;

	if (n < sizeof(v))
		return -EINVAL;
	memcpy(&v, src, sizeof(v));
	if (v == UINT64_MAX)
		return -EINVAL;
	sk_mutex_lock(&e->lock);
	while (COUNT_MAX - e->count < v) {
		if (f->flags & O_NONBLOCK) {
			sk_mutex_unlock(&e->lock);
			return -EAGAIN;
		}
		sk_cond_wait_until(&e->changed, &e->lock, 0);
	}
	e->count += v;
	sk_cond_broadcast(&e->changed);
	fd_ready_changed();
	sk_mutex_unlock(&e->lock);
	return sizeof(v);
}

static short efd_poll(struct file *f, short events)
{
	struct eventfd *e = f->priv;
	short ev = 0;

	sk_mutex_lock(&e->lock);
	if (e->count > 0)
		ev |= POLLIN | POLLRDNORM;
	if (e->count < COUNT_MAX)
		ev |= POLLOUT | POLLWRNORM;
	sk_mutex_unlock(&e->lock);
	return ev & events;
}

static int efd_fstat(struct file *f, struct stat *st)
{
	(void)f;
	memset(st, 0, sizeof(*st));
	st->st_mode = 0600; /* an anonymous inode, as Linux shows it */
	return 0;
}

static int efd_close(struct file *f)
{
	free(f->priv);
	return 0;
}

static const struct file_ops eventfd_ops = {
	.read = efd_read,
	.write = efd_write,
	.poll = efd_poll,
	.fstat = efd_fstat,
	.close = efd_close,
};

int eventfd(unsigned int initval, int flags)
{
	if (flags & ~(EFD_SEMAPHORE | EFD_NONBLOCK | EFD_CLOEXEC))
		return (int)fd_ret(-EINVAL);
	struct eventfd *e = calloc(1, sizeof(*e));
	if (!e)
		return (int)fd_ret(-ENOMEM);
	sk_mutex_init(&e->lock, 0);
	sk_cond_init(&e->changed);
	e->count = initval;
	e->semaphore = !!(flags & EFD_SEMAPHORE);
	struct file *f = file_new(&eventfd_ops, O_RDWR | (flags & EFD_NONBLOCK ? O_NONBLOCK : 0), e);
	if (!f) {
		free(e);
		return (int)fd_ret(-ENOMEM);
	}
	int fd = fd_install(f, 0);
	if (fd < 0)
		file_put(f); /* frees e */
	return (int)fd_ret(fd);
}

int eventfd_read(int fd, eventfd_t *value)
{
	return read(fd, value, sizeof(*value)) == sizeof(*value) ? 0 : -1;
}

int eventfd_write(int fd, eventfd_t value)
{
	return write(fd, &value, sizeof(value)) == sizeof(value) ? 0 : -1;
}
