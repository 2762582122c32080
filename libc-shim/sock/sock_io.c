/* Socket data transfer on lwIP: send, recv, sendto, recvfrom, sendmsg, recvmsg (flags translated). */
#include <errno.h>
#include <fcntl.h>
#include <string.h>

#include <skiff/clock.h>

#include "sock_internal.h"

/* App MSG_* -> lwIP MSG_*; flags lwIP lacks are dropped (MSG_NOSIGNAL: no signals here). */
int sock_flags_in(int px)
{
	return (px & PX_MSG_PEEK ? MSG_PEEK : 0) |
	       (px & PX_MSG_DONTWAIT ? MSG_DONTWAIT : 0) |
	       (px & PX_MSG_MORE ? MSG_MORE : 0) |
	       (px & PX_MSG_OOB ? MSG_OOB : 0);
}

/* One sender at a time on a socket, on its file's lock (unused by stream files
 * otherwise): lwIP lets one blocking write per connection be in flight (a second
 * caller got EINPROGRESS), and so each send's bytes stay together in the stream
 * when two threads send on one socket. A receiver never takes it. MSG_DONTWAIT
 * with another sender inside: EAGAIN. 0 when held (send_unlock it) or -EAGAIN. */
int sock_send_lock(struct file *f, int px_flags)
{
	if (!(px_flags & PX_MSG_DONTWAIT)) {
		sk_mutex_lock(&f->lock);
		return 0;
	}
	return sk_mutex_trylock(&f->lock) == 0 ? 0 : -EAGAIN;
}

void sock_send_unlock(struct file *f)
{
	sk_mutex_unlock(&f->lock);
}

/* One receiver at a time on a socket: lwIP keeps what a read left of a buffer
 * (sock->lastdata) without a lock, so two threads receiving at once could both take
 * the same buffer and free it twice. A blocked receiver holds the lock while it
 * waits; a second one waits for it no longer than its SO_RCVTIMEO. */
int sock_recv_lock(struct file *f, int px_flags)
{
	struct sock_file *sf = f->priv;
	struct timeval tv = { 0, 0 };
	socklen_t len = sizeof(tv);

	if (sk_mutex_trylock(&sf->rlock) == 0)
		return 0;
	if (px_flags & PX_MSG_DONTWAIT)
		return -EAGAIN;
	if (!(__atomic_load_n(&f->flags, __ATOMIC_RELAXED) & O_NONBLOCK) &&
	    lwip_getsockopt(f->handle, SOL_SOCKET, SO_RCVTIMEO, &tv, &len) == 0 &&
	    (tv.tv_sec || tv.tv_usec)) {
		uint64_t wait = (uint64_t)tv.tv_sec * 1000000000ull + (uint64_t)tv.tv_usec * 1000ull;
		return sk_mutex_lock_until(&sf->rlock, clock_monotonic_ns() + wait) == 0 ? 0 : -EAGAIN;
	}
	sk_mutex_lock(&sf->rlock); /* on a non-blocking socket the holder never waits long */
	return 0;
}

void sock_recv_unlock(struct file *f)
{
	struct sock_file *sf = f->priv;
	sk_mutex_unlock(&sf->rlock);
}

long sock_recv_result(struct file *f, long r, size_t n)
{
	struct sock_file *sf = f->priv;
	if (r == -ENOTCONN && sf->eof)
		return 0;
	if (r == 0 && n > 0)
		sf->eof = 1;
	return r;
}

ssize_t sendto(int fd, const void *buf, size_t n, int flags, const struct sockaddr *to,
	       unsigned int tolen)
{
	struct file *f;
	union sock_lwaddr a;
	socklen_t alen = 0;
	int s = sock_get(fd, &f);
	long r;

	if (s < 0)
		return fd_ret(s);
	if (to && (r = sock_addr_in(s, to, tolen, &a, &alen)) != 0) {
		file_put(f);
		return fd_ret(r);
	}
	if ((r = sock_send_lock(f, flags)) != 0) {
		file_put(f);
		return fd_ret(r);
	}
	r = to ? lwip_sendto(s, buf, n, sock_flags_in(flags), &a.sa, alen)
	       : lwip_send(s, buf, n, sock_flags_in(flags));
	if (r < 0)
		r = sock_bcast_errno(s, sock_errno(), to ? &a : NULL);
	sock_send_unlock(f);
	file_put(f);
	return fd_ret(r);
}

ssize_t send(int fd, const void *buf, size_t n, int flags)
{
	return sendto(fd, buf, n, flags, NULL, 0);
}

/* One lwIP receive; MSG_WAITALL on a stream loops until n bytes, EOF or an error. */
static long recv_some(int s, int type, void *buf, size_t n, int flags,
		      union sock_lwaddr *from, socklen_t *fromlen)
{
	int lwflags = sock_flags_in(flags);
	long got = 0;

	do {
		ssize_t r = from ? lwip_recvfrom(s, (char *)buf + got, n - (size_t)got, lwflags,
						 &from->sa, fromlen)
				 : lwip_recv(s, (char *)buf + got, n - (size_t)got, lwflags);
		if (r < 0)
			return got ? got : sock_errno();
		if (r == 0)
			break;
		got += r;
	} while ((flags & PX_MSG_WAITALL) && type == SOCK_STREAM && !(flags & PX_MSG_PEEK) &&
		 (size_t)got < n);
	return got;
}

static int sock_type(int s)
{
	int type = 0;
	socklen_t len = sizeof(type);

	lwip_getsockopt(s, SOL_SOCKET, SO_TYPE, &type, &len);
	return type;
}

ssize_t recvfrom(int fd, void *buf, size_t n, int flags, struct sockaddr *from,
		 unsigned int *fromlen)
{
	struct file *f;
	union sock_lwaddr a;
	socklen_t alen = sizeof(a);
	int s = sock_get(fd, &f);

	if (s < 0)
		return fd_ret(s);
	int type = flags & PX_MSG_WAITALL ? sock_type(s) : 0;
	memset(&a, 0, sizeof(a));
	long r = sock_recv_lock(f, flags);
	if (r == 0) {
		r = recv_some(s, type, buf, n, flags, from && fromlen ? &a : NULL, &alen);
		r = sock_recv_result(f, r, n);
		sock_recv_unlock(f);
	}
	if (r >= 0 && from && fromlen) {
		if (sock_addr_valid(&a))
			sock_addr_out(s, &a, from, fromlen);
		else
			*fromlen = 0; /* a connected stream: no address */
	}
	file_put(f);
	return fd_ret(r);
}

ssize_t recv(int fd, void *buf, size_t n, int flags)
{
	return recvfrom(fd, buf, n, flags, NULL, NULL);
}

ssize_t sendmsg(int fd, const struct px_msghdr *msg, int flags)
{
	struct file *f;
	union sock_lwaddr a;
	socklen_t alen = 0;
	struct msghdr m;
	int s = sock_get(fd, &f);
	long r = 0;

	if (s < 0)
		return fd_ret(s);
	memset(&m, 0, sizeof(m));
	if (msg->msg_iovlen > PX_IOV_MAX)
		r = -EMSGSIZE;
	else if (msg->msg_name)
		r = sock_addr_in(s, msg->msg_name, msg->msg_namelen, &a, &alen);
	if (!r)
		r = sock_send_lock(f, flags);
	if (!r) {
		m.msg_name = msg->msg_name ? &a : NULL;
		m.msg_namelen = msg->msg_name ? alen : 0;
		m.msg_iov = msg->msg_iov; /* struct iovec: the same layout both sides */
		m.msg_iovlen = (int)msg->msg_iovlen;
		r = lwip_sendmsg(s, &m, sock_flags_in(flags));
		if (r < 0)
			r = sock_bcast_errno(s, sock_errno(), msg->msg_name ? &a : NULL);
		sock_send_unlock(f);
	}
	file_put(f);
	return fd_ret(r);
}

size_t sock_iov_bytes(const struct iovec *iov, int n)
{
	size_t total = 0;
	for (int i = 0; i < n; i++)
		total += iov[i].iov_len;
	return total;
}

ssize_t recvmsg(int fd, struct px_msghdr *msg, int flags)
{
	struct file *f;
	union sock_lwaddr a;
	struct msghdr m;
	int s = sock_get(fd, &f);
	long r;

	if (s < 0)
		return fd_ret(s);
	if (msg->msg_iovlen > PX_IOV_MAX) {
		file_put(f);
		return fd_ret(-EMSGSIZE);
	}
	memset(&m, 0, sizeof(m));
	memset(&a, 0, sizeof(a));
	m.msg_name = msg->msg_name ? &a : NULL;
	m.msg_namelen = msg->msg_name ? sizeof(a) : 0;
	m.msg_iov = msg->msg_iov;
	m.msg_iovlen = (int)msg->msg_iovlen;
	if ((r = sock_recv_lock(f, flags)) != 0) {
		file_put(f);
		return fd_ret(r);
	}
	r = lwip_recvmsg(s, &m, sock_flags_in(flags));
	r = sock_recv_result(f, r < 0 ? sock_errno() : r, sock_iov_bytes(m.msg_iov, m.msg_iovlen));
	sock_recv_unlock(f);
	if (r >= 0) {
		if (msg->msg_name && sock_addr_valid(&a))
			sock_addr_out(s, &a, msg->msg_name, &msg->msg_namelen);
		else
			msg->msg_namelen = 0;
		msg->msg_controllen = 0;
		msg->msg_flags = (m.msg_flags & MSG_TRUNC ? PX_MSG_TRUNC : 0) |
				 (m.msg_flags & MSG_CTRUNC ? PX_MSG_CTRUNC : 0);
	}
	file_put(f);
	return fd_ret(r);
}
