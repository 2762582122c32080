/* Waiting on sockets: poll() hands all socket fds to one lwip_poll (bits translated both ways). */
#include <errno.h>
#include <stdlib.h>

#include "sock_internal.h"

/* lwIP's struct pollfd is the app's layout; only the bits differ. */
static short events_in(short px)
{
	return (short)((px & FD_POLLIN ? POLLIN : 0) | (px & FD_POLLOUT ? POLLOUT : 0));
}

static short events_out(short lw)
{
	return (short)((lw & POLLIN ? FD_POLLIN : 0) | (lw & POLLOUT ? FD_POLLOUT : 0) |
		       (lw & POLLERR ? FD_POLLERR : 0) | (lw & POLLHUP ? FD_POLLHUP : 0) |
		       (lw & POLLNVAL ? FD_POLLNVAL : 0));
}

int sock_poll_many(struct file **files, struct pollfd *pfds, unsigned n, int timeout_ms)
{
	for (unsigned i = 0; i < n; i++) {
		pfds[i].fd = files[i]->handle;
		pfds[i].events = events_in(pfds[i].events);
		pfds[i].revents = 0;
	}
	int r = lwip_poll(pfds, n, timeout_ms < 0 ? -1 : timeout_ms);
	for (unsigned i = 0; i < n; i++)
		pfds[i].revents = events_out(pfds[i].revents);
	return r < 0 ? sock_errno() : r;
}

short sock_poll_one(struct file *f, short events)
{
	struct pollfd p = { .events = events };
	int r = sock_poll_many(&f, &p, 1, 0);

	return r < 0 ? FD_POLLERR : p.revents;
}
