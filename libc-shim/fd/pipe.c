/* pipe()/pipe2(): a 64 KiB ring shared by a read end and a write end; blocking or O_NONBLOCK, EOF and EPIPE as POSIX says. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fd.h"
#include "shim.h"

#define PIPE_SIZE 65536u /* Linux's default capacity */
#define PIPE_ATOMIC 4096u /* PIPE_BUF: writes up to this size are never split */

struct pipe {
	struct sk_mutex lock;    /* guards everything below */
	struct sk_cond changed;  /* data arrived, space freed, or an end closed */
	unsigned char *buf;
	size_t head, len;        /* ring: first byte, bytes held */
	int readers, writers;    /* open ends (0 or 1 each) */
};

/* f->handle: 0 read end, 1 write end. */
static ssize_t pipe_read(struct file *f, void *dst, size_t n)
{
	struct pipe *p = f->priv;
	ssize_t r;

	if (n == 0)
		return 0;
	sk_mutex_lock(&p->lock);
	while (p->len == 0 && p->writers > 0 && !(f->flags & O_NONBLOCK))
		sk_cond_wait_until(&p->changed, &p->lock, 0);
	if (p->len == 0) {
		r = p->writers > 0 ? -EAGAIN : 0; /* 0: end of file */
	} else {
		size_t take = n < p->len ? n : p->len;
		for (size_t i = 0; i < take; i++)
			((unsigned char *)dst)[i] = p->buf[(p->head + i) % PIPE_SIZE];
		p->head = (p->head + take) % PIPE_SIZE;
		p->len -= take;
		r = (ssize_t)take;
		sk_cond_broadcast(&p->changed);
		fd_ready_changed();
	}
	sk_mutex_unlock(&p->lock);
	return r;
}

static ssize_t pipe_write(struct file *f, const void *src, size_t n)
{
	struct pipe *p = f->priv;
	size_t done = 0;
	ssize_t r = 0;

	sk_mutex_lock(&p->lock);
	while (done < n) {
		if (p->readers == 0) {
			r = -EPIPE;
			break;
		}
		size_t room = PIPE_SIZE - p->len;
		/* A write of at most PIPE_BUF bytes goes in whole or waits. */
		if (room == 0 || (n <= PIPE_ATOMIC && room < n)) {
			if (f->flags & O_NONBLOCK) {
				r = -EAGAIN;
				break;
			}
			sk_cond_wait_until(&p->changed, &p->lock, 0);
			continue;
		}
		size_t put = n - done < room ? n - done : room;
		for (size_t i = 0; i < put; i++)
			p->buf[(p->head + p->len + i) % PIPE_SIZE] = ((const unsigned char *)src)[done + i];
		p->len += put;
		done += put;
		sk_cond_broadcast(&p->changed);
		fd_ready_changed();
	}
	sk_mutex_unlock(&p->lock);
	if (done)
		return (ssize_t)done;
	if (r == -EPIPE)
		raise(SIGPIPE); /* default action ends the program, as on Linux */
	return r;
}

static short pipe_poll(struct file *f, short events)
{
	struct pipe *p = f->priv;
	short ev = 0;

	sk_mutex_lock(&p->lock);
	if (f->handle == 0) {
		if (p->len > 0)
			ev |= POLLIN | POLLRDNORM;
		if (p->writers == 0)
			ev |= POLLHUP;
	} else {
		if (p->readers == 0)
			ev |= POLLERR;
		else if (PIPE_SIZE - p->len >= PIPE_ATOMIC)
			ev |= POLLOUT | POLLWRNORM;
	}
	sk_mutex_unlock(&p->lock);
	return ev & (events | POLLHUP | POLLERR);
}

static int pipe_fstat(struct file *f, struct stat *st)
{
	struct pipe *p = f->priv;

	memset(st, 0, sizeof(*st));
	st->st_mode = S_IFIFO | 0600;
	st->st_blksize = PIPE_ATOMIC;
	sk_mutex_lock(&p->lock);
	st->st_size = (off_t)p->len;
	sk_mutex_unlock(&p->lock);
	return 0;
}

static int pipe_close(struct file *f)
{
	struct pipe *p = f->priv;
	int last;

	sk_mutex_lock(&p->lock);
	if (f->handle == 0)
		p->readers--;
	else
		p->writers--;
	last = p->readers == 0 && p->writers == 0;
	sk_cond_broadcast(&p->changed);
	fd_ready_changed();
	sk_mutex_unlock(&p->lock);
	if (last) {
		free(p->buf);
		free(p);
	}
	return 0;
}

static const struct file_ops pipe_ops = {
	.read = pipe_read,
	.write = pipe_write,
	.poll = pipe_poll,
	.fstat = pipe_fstat,
	.close = pipe_close,
};

int pipe2(int fds[2], int flags)
{
	struct pipe *p;
	struct file *ends[2] = { NULL, NULL };
	int fd0 = -1, err = -ENOMEM;

	if (flags & ~(O_NONBLOCK | O_CLOEXEC))
		return (int)fd_ret(-EINVAL);
	p = calloc(1, sizeof(*p));
	if (!p || !(p->buf = malloc(PIPE_SIZE))) {
		free(p);
		return (int)fd_ret(-ENOMEM);
	}
	sk_mutex_init(&p->lock, 0);
	sk_cond_init(&p->changed);
	p->readers = p->writers = 1;
	ends[0] = file_new(&pipe_ops, O_RDONLY | (flags & O_NONBLOCK), p);
	ends[1] = file_new(&pipe_ops, O_WRONLY | (flags & O_NONBLOCK), p);
	if (!ends[0] || !ends[1]) {
		free(ends[0]);
		free(ends[1]);
		free(p->buf);
		free(p);
		return (int)fd_ret(-ENOMEM);
	}
	ends[1]->handle = 1;
	fd0 = fd_install(ends[0], 0);
	if (fd0 < 0) {
		err = fd0;
		file_put(ends[0]);
		file_put(ends[1]); /* the last end: frees p */
		return (int)fd_ret(err);
	}
	int fd1 = fd_install(ends[1], 0);
	if (fd1 < 0) {
		file_put(ends[1]);
		close(fd0);
		return (int)fd_ret(fd1);
	}
	fds[0] = fd0;
	fds[1] = fd1;
	return 0;
}

int pipe(int fds[2])
{
	return pipe2(fds, 0);
}
