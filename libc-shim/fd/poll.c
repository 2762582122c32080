/* poll(): files that cannot block answer at once; sockets wait together in their own poll_many; pipes wake pollers through ready.c; a signal handler ends main's wait (EINTR). */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>

#include "fd.h"
#include "shim.h"
#include "sigstate.h"

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

/* While sockets and pipes are waited on together, the socket wait is cut
 * into slices this long so a pipe that becomes ready is seen. */
#define MIXED_SLICE_MS 10
/* Likewise while the program uses signals, for the main thread: a signal ends the
 * wait with EINTR within a slice (sigdeliver.c delivers to main). */
#define SIGNAL_SLICE_MS 10

static uint64_t now_ms(void)
{
	return clock_monotonic_ns() / 1000000u;
}

int poll(struct pollfd *fds, nfds_t nfds, int timeout)
{
	struct file *stack_files[POLL_ON_STACK], **files = stack_files;
	struct pollfd stack_sub[POLL_ON_STACK], *sub = stack_sub;
	struct file *stack_subf[POLL_ON_STACK], **subf = stack_subf;
	unsigned *idx = NULL, stack_idx[POLL_ON_STACK];
	int ready = 0, err = 0, changing = 0;
	unsigned nsub = 0;
	const struct file_ops *waiter = NULL;
	uint64_t deadline = timeout > 0 ? now_ms() + (uint64_t)timeout : 0;

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
	/* 1: look each fd up and sort: sockets wait together; the rest answer now. */
	for (nfds_t i = 0; i < nfds; i++) {
		files[i] = fds[i].fd < 0 ? NULL : fd_get(fds[i].fd);
		if (files[i] && files[i]->ops->poll_many &&
		    (!waiter || waiter == files[i]->ops)) {
			waiter = files[i]->ops;
			subf[nsub] = files[i];
			idx[nsub++] = (unsigned)i;
		} else if (files[i] && files[i]->ops->poll) {
			changing = 1; /* a pipe or epoll set: may become ready later */
		}
	}
	for (;;) {
		uint64_t seen = fd_ready_seq();
		int left = timeout;
		int slicing = shim_sig_in_use && sched_current() == shim_main_thread;

		/* 2: files that cannot block answer now. */
		ready = 0;
		for (nfds_t i = 0; i < nfds; i++) {
			fds[i].revents = 0;
			if (fds[i].fd < 0)
				continue;
			if (!files[i])
				fds[i].revents = POLLNVAL;
			else if (!(files[i]->ops->poll_many && waiter == files[i]->ops))
				fds[i].revents = poll_now(files[i], fds[i].events);
			if (fds[i].revents)
				ready++;
		}
		if (timeout > 0) {
			uint64_t now = now_ms();
			left = now >= deadline ? 0 : (int)(deadline - now);
		}
		/* 3: sockets wait together; not at all if something is ready already. */
		if (nsub) {
			int wait = ready ? 0 : left;
			if (changing && (wait < 0 || wait > MIXED_SLICE_MS))
				wait = MIXED_SLICE_MS;
			if (slicing && (wait < 0 || wait > SIGNAL_SLICE_MS))
				wait = SIGNAL_SLICE_MS;
			for (unsigned k = 0; k < nsub; k++)
				sub[k] = fds[idx[k]];
			int r = waiter->poll_many(subf, sub, nsub, wait);
			if (r < 0) {
				err = r;
				break;
			}
			for (unsigned k = 0; k < nsub; k++) {
				fds[idx[k]].revents = sub[k].revents;
				if (sub[k].revents)
					ready++;
			}
			if (ready || left == 0 || (!changing && !slicing))
				break; /* the socket wait used the whole timeout */
			if (slicing && shim_sig_run_pending()) {
				err = -EINTR;
				break;
			}
		} else if (ready || left == 0) {
			break;
		} else if (changing) {
			/* 4: only pipes and the like: sleep until one changes. */
			uint64_t until = timeout > 0 ? deadline * 1000000u : 0;
			if (slicing) {
				uint64_t slice = clock_monotonic_ns() + SIGNAL_SLICE_MS * 1000000u;
				if (!until || slice < until)
					until = slice;
			}
			int timed_out = fd_ready_wait(seen, until) != 0;
			if (slicing && shim_sig_run_pending()) {
				err = -EINTR;
				break;
			}
			if (timed_out && !slicing)
				break;
		} else if (slicing) {
			/* Nothing can become ready: wait out the timeout or a signal. */
			if (shim_sig_wait_until(timeout > 0 ? deadline * 1000000u : 0))
				err = -EINTR;
			break;
		} else {
			/* Nothing can become ready: sleep out the timeout. */
			if (timeout < 0)
				shim_log_once("poll-forever", "poll() with nothing to wait for blocks forever");
			do
				sched_sleep_ns(timeout > 0 ? (uint64_t)left * 1000000u : 1000000000u);
			while (timeout < 0);
			break;
		}
	}
	for (nfds_t i = 0; i < nfds; i++)
		if (files[i])
			file_put(files[i]);
	if (files != stack_files)
		free(files);
	return err ? fd_ret(err) : ready;
}
