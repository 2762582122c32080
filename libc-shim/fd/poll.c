/* poll(): files that are always ready answer at once; sockets wait together in their own poll_many. */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>

#include "fd.h"
#include "shim.h"

_Static_assert(POLLIN == FD_POLLIN && POLLPRI == FD_POLLPRI && POLLOUT == FD_POLLOUT &&
	       POLLERR == FD_POLLERR && POLLHUP == FD_POLLHUP && POLLNVAL == FD_POLLNVAL,
	       "fd.h's FD_POLL* must match <poll.h>");

#define POLL_ON_STACK 32

/* Readiness of one file that cannot block. */
static short poll_now(struct file *f, short events)
{
	short ev = events | POLLERR | POLLHUP;

	if (f->ops->poll)
		return f->ops->poll(f, events) & ev;
	return (short)(events & (POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM));
}

int poll(struct pollfd *fds, nfds_t nfds, int timeout)
{
	struct file *stack_files[POLL_ON_STACK], **files = stack_files;
	struct pollfd stack_sub[POLL_ON_STACK], *sub = stack_sub;
	struct file *stack_subf[POLL_ON_STACK], **subf = stack_subf;
	unsigned *idx = NULL, stack_idx[POLL_ON_STACK];
	int ready = 0, err = 0;
	unsigned nsub = 0;
	const struct file_ops *waiter = NULL;

	if (nfds > FD_MAX)
		return fd_ret(-EINVAL);
	idx = stack_idx;
	if (nfds > POLL_ON_STACK) {
		files = malloc(nfds * (2 * sizeof(*files) + sizeof(*sub) + sizeof(*idx)));
		if (!files)
			return fd_ret(-ENOMEM);
		subf = files + nfds;
		sub = (struct pollfd *)(subf + nfds);
		idx = (unsigned *)(sub + nfds);
	}
	/* 1: look each fd up; files that cannot block answer now. */
	for (nfds_t i = 0; i < nfds; i++) {
		fds[i].revents = 0;
		files[i] = fds[i].fd < 0 ? NULL : fd_get(fds[i].fd);
		if (fds[i].fd < 0)
			continue;
		if (!files[i]) {
			fds[i].revents = POLLNVAL;
		} else if (files[i]->ops->poll_many &&
			   (!waiter || waiter == files[i]->ops)) {
			waiter = files[i]->ops;
			sub[nsub] = fds[i];
			subf[nsub] = files[i];
			idx[nsub++] = (unsigned)i;
		} else {
			fds[i].revents = poll_now(files[i], fds[i].events);
		}
		if (fds[i].revents)
			ready++;
	}
	/* 2: sockets wait together; not at all if something is ready already. */
	if (nsub) {
		int r = waiter->poll_many(subf, sub, nsub, ready ? 0 : timeout);
		if (r < 0) {
			err = r;
		} else {
			for (unsigned k = 0; k < nsub; k++) {
				fds[idx[k]].revents = sub[k].revents;
				if (sub[k].revents)
					ready++;
			}
		}
	} else if (!ready && timeout != 0) {
		/* Nothing can become ready: sleep out the timeout. */
		if (timeout < 0)
			shim_log_once("poll-forever", "poll() with nothing to wait for blocks forever");
		do
			sched_sleep_ns(timeout > 0 ? (uint64_t)timeout * 1000000u : 1000000000u);
		while (timeout < 0);
	}
	for (nfds_t i = 0; i < nfds; i++)
		if (files[i])
			file_put(files[i]);
	if (files != stack_files)
		free(files);
	return err ? fd_ret(err) : ready;
}
