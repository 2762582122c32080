/* select() and pselect() on poll(); FD_SETSIZE is 1024 in skiff's build flags. */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/select.h>
#include <sys/time.h>

#include "fd.h"
#include "shim.h"

_Static_assert(FD_SETSIZE >= 1024, "build with -DFD_SETSIZE=1024 (mk/toolchain.mk)");

static int timeout_ms(const struct timespec *ts)
{
	if (!ts)
		return -1;
	uint64_t ms = (uint64_t)ts->tv_sec * 1000u + ((uint64_t)ts->tv_nsec + 999999u) / 1000000u;
	return ms > 0x7fffffff ? 0x7fffffff : (int)ms;
}

static int do_select(int n, fd_set *rd, fd_set *wr, fd_set *ex, const struct timespec *ts)
{
	if (n < 0 || n > FD_SETSIZE || (ts && (ts->tv_sec < 0 || ts->tv_nsec < 0 ||
					      ts->tv_nsec >= 1000000000L)))
		return fd_ret(-EINVAL);
	int count = 0;
	for (int fd = 0; fd < n; fd++)
		if ((rd && FD_ISSET(fd, rd)) || (wr && FD_ISSET(fd, wr)) || (ex && FD_ISSET(fd, ex)))
			count++;
	struct pollfd *p = count ? malloc((size_t)count * sizeof(*p)) : NULL;
	if (count && !p)
		return fd_ret(-ENOMEM);
	int k = 0;
	for (int fd = 0; fd < n; fd++) {
		short ev = (short)((rd && FD_ISSET(fd, rd) ? POLLIN : 0) |
				   (wr && FD_ISSET(fd, wr) ? POLLOUT : 0) |
				   (ex && FD_ISSET(fd, ex) ? POLLPRI : 0));
		if (ev) {
			p[k].fd = fd;
			p[k++].events = ev;
		}
	}
	int r = poll(p, (nfds_t)count, timeout_ms(ts));
	if (r < 0) {
		free(p);
		return -1;
	}
	for (k = 0; k < count; k++) {
		if (p[k].revents & POLLNVAL) {
			free(p);
			return fd_ret(-EBADF);
		}
	}
	if (rd)
		FD_ZERO(rd);
	if (wr)
		FD_ZERO(wr);
	if (ex)
		FD_ZERO(ex);
	int ready = 0;
	for (k = 0; k < count; k++) {
		short re = p[k].revents, ev = p[k].events;
		if ((ev & POLLIN) && (re & (POLLIN | POLLHUP | POLLERR))) {
			FD_SET(p[k].fd, rd);
			ready++;
		}
		if ((ev & POLLOUT) && (re & (POLLOUT | POLLERR))) {
			FD_SET(p[k].fd, wr);
			ready++;
		}
		if ((ev & POLLPRI) && (re & POLLPRI)) {
			FD_SET(p[k].fd, ex);
			ready++;
		}
	}
	free(p);
	return ready;
}

int select(int n, fd_set *rd, fd_set *wr, fd_set *ex, struct timeval *tv)
{
	struct timespec ts;

	if (tv) {
		if (tv->tv_sec < 0 || tv->tv_usec < 0 || tv->tv_usec >= 1000000)
			return fd_ret(-EINVAL);
		ts.tv_sec = tv->tv_sec;
		ts.tv_nsec = tv->tv_usec * 1000;
	}
	return do_select(n, rd, wr, ex, tv ? &ts : NULL);
}

int pselect(int n, fd_set *rd, fd_set *wr, fd_set *ex, const struct timespec *ts,
	    const sigset_t *mask)
{
	(void)mask; /* no asynchronous signals */
	return do_select(n, rd, wr, ex, ts);
}
