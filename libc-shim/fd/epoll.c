/* epoll: an epoll fd holds an interest list; epoll_wait polls it (level-triggered) and reports what is ready. */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <time.h>

#include "fd.h"
#include "shim.h"

/* Bits epoll_wait can report: poll()'s plus the always-reported error/hang-up. */
#define EP_POLL_BITS (EPOLLIN | EPOLLPRI | EPOLLOUT | EPOLLRDNORM | EPOLLRDBAND | \
		      EPOLLWRNORM | EPOLLWRBAND | EPOLLERR | EPOLLHUP)
#define EP_ACCEPTED (EP_POLL_BITS | EPOLLRDHUP | EPOLLMSG | EPOLLONESHOT | \
		     EPOLLEXCLUSIVE | EPOLLWAKEUP)

struct ep_item {
	int fd;
	uint32_t events;   /* what the caller asked for; 0 after a ONESHOT fired */
	epoll_data_t data;
	/* Linux's ready list, as stamps: a ready item is queued at `order`; a
	 * reported one goes back to the tail (level-triggered), one found not
	 * ready leaves the queue until its file says it became ready again. */
	uint64_t order;
	int queued;
};

struct epoll {
	struct sk_mutex lock;  /* guards everything below */
	struct ep_item *items;
	unsigned n, cap;
	unsigned next;         /* where the next report starts (ties) */
};

static int ep_close(struct file *f)
{
	struct epoll *ep = f->priv;

	free(ep->items);
	free(ep);
	return 0;
}

static int ep_wait_list(struct epoll *ep, struct epoll_event *out, int max, int timeout);

/* An epoll fd in poll() (or another epoll set): readable when an event is pending. */
static short ep_poll(struct file *f, short events)
{
	struct epoll_event ev;

	return (events & POLLIN) && ep_wait_list(f->priv, &ev, 1, 0) > 0 ? POLLIN : 0;
}

static const struct file_ops epoll_ops = {
	.poll = ep_poll,
	.close = ep_close,
};

int epoll_create1(int flags)
{
	if (flags & ~EPOLL_CLOEXEC)
		return fd_ret(-EINVAL);
	struct epoll *ep = calloc(1, sizeof(*ep));
	if (!ep)
		return fd_ret(-ENOMEM);
	sk_mutex_init(&ep->lock, 0);
	struct file *f = file_new(&epoll_ops, 0, ep);
	if (!f) {
		free(ep);
		return fd_ret(-ENOMEM);
	}
	int fd = fd_install(f, 0);
	if (fd < 0)
		file_put(f); /* closes: frees ep */
	return fd_ret(fd);
}

int epoll_create(int size)
{
	if (size <= 0)
		return fd_ret(-EINVAL);
	return epoll_create1(0);
}

/* The epoll behind epfd with a reference on its file, or NULL with *err set. */
static struct file *ep_get(int epfd, int *err)
{
	struct file *f = fd_get(epfd);

	*err = 0;
	if (!f)
		*err = -EBADF;
	else if (f->ops != &epoll_ops) {
		file_put(f);
		f = NULL;
		*err = -EINVAL;
	}
	return f;
}

static struct ep_item *ep_find(struct epoll *ep, int fd)
{
	for (unsigned i = 0; i < ep->n; i++)
		if (ep->items[i].fd == fd)
			return &ep->items[i];
	return NULL;
}

/* The item polled as pfds slot i: still at index i unless the set changed meanwhile. */
static struct ep_item *ep_at(struct epoll *ep, unsigned i, int fd)
{
	if (i < ep->n && ep->items[i].fd == fd)
		return &ep->items[i];
	return ep_find(ep, fd);
}

/* When the file at fd last became readable (0 = not known). */
static uint64_t file_ready_stamp(int fd)
{
	struct file *f = fd_get(fd);
	uint64_t stamp = 0;

	if (f) {
		if (f->ops->ready_stamp)
			stamp = f->ops->ready_stamp(f);
		file_put(f);
	}
	return stamp;
}

static int ep_add(struct epoll *ep, int fd, const struct epoll_event *ev)
{
	if (ep_find(ep, fd))
		return -EEXIST;
	if (ep->n == ep->cap) {
		unsigned cap = ep->cap ? ep->cap * 2 : 16;
		struct ep_item *items = realloc(ep->items, cap * sizeof(*items));
		if (!items)
			return -ENOMEM;
		ep->items = items;
		ep->cap = cap;
	}
	ep->items[ep->n].fd = fd;
	ep->items[ep->n].events = ev->events;
	ep->items[ep->n].data = ev->data;
	ep->items[ep->n].order = 0;
	ep->items[ep->n].queued = 0;
	ep->n++;
	return 0;
}

static void ep_remove_at(struct epoll *ep, unsigned i)
{
	ep->items[i] = ep->items[--ep->n];
}

int epoll_ctl(int epfd, int op, int fd, struct epoll_event *event)
{
	int err;
	struct file *f = ep_get(epfd, &err);
	if (!f)
		return fd_ret(err);
	struct file *target = fd_get(fd);
	struct epoll *ep = f->priv;
	struct ep_item *it;

	if (!target) {
		err = -EBADF;
	} else if (fd == epfd || target->ops == &epoll_ops) {
		err = -EINVAL; /* no nesting: an epoll fd in an epoll set */
	} else if (op != EPOLL_CTL_DEL && !event) {
		err = -EFAULT;
	} else if (op != EPOLL_CTL_DEL && (event->events & EPOLLET)) {
		shim_log_once("epoll-et", "epoll: EPOLLET (edge-triggered) is not supported (EINVAL)");
		err = -EINVAL;
	} else if (op != EPOLL_CTL_DEL && (event->events & ~(uint32_t)EP_ACCEPTED)) {
		err = -EINVAL;
	}
	if (!err) {
		sk_mutex_lock(&ep->lock);
		switch (op) {
		case EPOLL_CTL_ADD:
			err = ep_add(ep, fd, event);
			break;
		case EPOLL_CTL_MOD:
			if ((it = ep_find(ep, fd))) {
				it->events = event->events;
				it->data = event->data;
			} else {
				err = -ENOENT;
			}
			break;
		case EPOLL_CTL_DEL:
			if ((it = ep_find(ep, fd)))
				ep_remove_at(ep, (unsigned)(it - ep->items));
			else
				err = -ENOENT;
			break;
		default:
			err = -EINVAL;
		}
		sk_mutex_unlock(&ep->lock);
	}
	if (target)
		file_put(target);
	file_put(f);
	return fd_ret(err);
}

/*
 * One round: poll the interest list (a snapshot, so ctl calls from other
 * threads never wait for a sleeping epoll_wait), then report up to max
 * ready items in Linux's ready-list order: by when each became ready (its
 * file's stamp) or was last reported, whichever queued it. Items whose fd is
 * gone (POLLNVAL) leave the set, as Linux drops closed files.
 * Returns the count, 0 on timeout, or -errno; *stale says poll() saw
 * readiness that could not be reported (the caller waits again).
 */
static int ep_round(struct epoll *ep, struct epoll_event *out, int max, int timeout, int *stale)
{
	struct pollfd *pfds;
	unsigned n, start;

	sk_mutex_lock(&ep->lock);
	n = ep->n;
	start = ep->next;
	/* One block per round: the poll set, then (if anything is ready) each item's
	 * queue key and the ready items in reporting order. */
	size_t slots = n ? n : 1;
	pfds = malloc(slots * (sizeof(*pfds) + sizeof(uint64_t) + sizeof(unsigned)));
	if (!pfds) {
		sk_mutex_unlock(&ep->lock);
		return -ENOMEM;
	}
	for (unsigned i = 0; i < n; i++) {
		pfds[i].fd = ep->items[i].events & EP_POLL_BITS ? ep->items[i].fd : -1;
		pfds[i].events = (short)(ep->items[i].events & EP_POLL_BITS);
		pfds[i].revents = 0;
	}
	sk_mutex_unlock(&ep->lock);

	int r = poll(pfds, n, timeout);
	if (r < 0) {
		r = -errno;
		free(pfds);
		return r;
	}
	int got = 0;
	*stale = r > 0;
	if (r == 0) {
		/* Nothing ready: every item leaves the ready queue. */
		sk_mutex_lock(&ep->lock);
		for (unsigned i = 0; i < n; i++) {
			struct ep_item *it = pfds[i].fd >= 0 ? ep_at(ep, i, pfds[i].fd) : NULL;
			if (it)
				it->queued = 0;
		}
		sk_mutex_unlock(&ep->lock);
		free(pfds);
		return 0;
	}
	uint64_t *keys = (uint64_t *)(pfds + slots);
	unsigned *ready = (unsigned *)(keys + slots);
	/* Stamps of the ready files, read before the lock (fd_get may sleep). */
	for (unsigned i = 0; i < n; i++)
		keys[i] = pfds[i].revents && !(pfds[i].revents & POLLNVAL) ? file_ready_stamp(pfds[i].fd) : 0;
	unsigned nready = 0;
	sk_mutex_lock(&ep->lock);
	for (unsigned k = 0; k < n; k++) {
		unsigned i = (start + k) % n;
		struct ep_item *it = pfds[i].fd >= 0 ? ep_at(ep, i, pfds[i].fd) : NULL;
		if (!it)
			continue; /* not polled, or removed while we polled */
		if (!pfds[i].revents) {
			it->queued = 0;
			continue;
		}
		if (pfds[i].revents & POLLNVAL) {
			ep_remove_at(ep, (unsigned)(it - ep->items));
			continue;
		}
		if (!it->queued) {
			it->order = keys[i];
			it->queued = 1;
		}
		/* Stable insertion by queue position; ties keep round-robin order. */
		unsigned j = nready++;
		while (j > 0 && keys[ready[j - 1]] > it->order) {
			ready[j] = ready[j - 1];
			j--;
		}
		ready[j] = i;
		keys[i] = it->order;
	}
	for (unsigned k = 0; k < nready && got < max; k++) {
		unsigned i = ready[k];
		struct ep_item *it = ep_at(ep, i, pfds[i].fd);
		if (!it)
			continue;
		out[got].events = (uint32_t)(unsigned short)pfds[i].revents & EP_POLL_BITS;
		out[got].data = it->data;
		got++;
		if (it->events & EPOLLONESHOT) {
			it->events &= ~(uint32_t)EP_POLL_BITS; /* disarmed until EPOLL_CTL_MOD */
			it->queued = 0;
		}
		it->order = fd_order_next(); /* level-triggered: back to the tail */
		ep->next = (i + 1) % n;
	}
	sk_mutex_unlock(&ep->lock);
	free(pfds);
	*stale = *stale && !got;
	return got;
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* Rounds until something is reported or the timeout (ms, -1 = none) passes. */
static int ep_wait_list(struct epoll *ep, struct epoll_event *out, int max, int timeout)
{
	uint64_t deadline = timeout > 0 ? now_ms() + (uint64_t)timeout : 0;
	int stale, r;

	while ((r = ep_round(ep, out, max, timeout, &stale)) == 0 && stale && timeout != 0) {
		if (timeout > 0) {
			uint64_t now = now_ms();
			if (now >= deadline)
				break;
			timeout = (int)(deadline - now);
		}
	}
	return r;
}

int epoll_wait(int epfd, struct epoll_event *events, int maxevents, int timeout)
{
	int err;

	if (maxevents <= 0)
		return fd_ret(-EINVAL);
	if (!events)
		return fd_ret(-EFAULT);
	struct file *f = ep_get(epfd, &err);
	if (!f)
		return fd_ret(err);
	int r = ep_wait_list(f->priv, events, maxevents, timeout);
	file_put(f);
	return fd_ret(r);
}
