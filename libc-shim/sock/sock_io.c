/* Socket data transfer on lwIP: send, recv, sendto, recvfrom, sendmsg, recvmsg (flags translated). */
#include <errno.h>
#include <string.h>

#include "sock_internal.h"

/* App MSG_* -> lwIP MSG_*; flags lwIP lacks are dropped (MSG_NOSIGNAL: no signals here). */
int sock_flags_in(int px)
{
	return (px & PX_MSG_PEEK ? MSG_PEEK : 0) |
	       (px & PX_MSG_DONTWAIT ? MSG_DONTWAIT : 0) |
	       (px & PX_MSG_MORE ? MSG_MORE : 0) |
	       (px & PX_MSG_OOB ? MSG_OOB : 0);
}

ssize_t sendto(int fd, const void *buf, size_t n, int flags, const struct sockaddr *to,
	       unsigned int tolen)
{
	struct file *f;
	struct sockaddr_in a;
	int s = sock_get(fd, &f);
	long r;

	if (s < 0)
		return fd_ret(s);
	if (to && (r = sock_addr_in(to, tolen, &a)) != 0) {
		file_put(f);
		return fd_ret(r);
	}
	r = to ? lwip_sendto(s, buf, n, sock_flags_in(flags), (struct sockaddr *)&a, sizeof(a))
	       : lwip_send(s, buf, n, sock_flags_in(flags));
	if (r < 0)
		r = sock_bcast_errno(s, sock_errno(), to ? &a : NULL);
	file_put(f);
	return fd_ret(r);
}

ssize_t send(int fd, const void *buf, size_t n, int flags)
{
	return sendto(fd, buf, n, flags, NULL, 0);
}

/* One lwIP receive; MSG_WAITALL on a stream loops until n bytes, EOF or an error. */
static long recv_some(int s, int type, void *buf, size_t n, int flags,
		      struct sockaddr_in *from, socklen_t *fromlen)
{
	int lwflags = sock_flags_in(flags);
	long got = 0;

	do {
		ssize_t r = from ? lwip_recvfrom(s, (char *)buf + got, n - (size_t)got, lwflags,
						 (struct sockaddr *)from, fromlen)
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
	struct sockaddr_in a;
	socklen_t alen = sizeof(a);
	int s = sock_get(fd, &f);

	if (s < 0)
		return fd_ret(s);
	int type = flags & PX_MSG_WAITALL ? sock_type(s) : 0;
	memset(&a, 0, sizeof(a));
	long r = recv_some(s, type, buf, n, flags, from && fromlen ? &a : NULL, &alen);
	if (r >= 0 && from && fromlen) {
		if (a.sin_family == AF_INET)
			sock_addr_out((struct sockaddr *)&a, from, fromlen);
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
	struct sockaddr_in a;
	struct msghdr m;
	int s = sock_get(fd, &f);
	long r = 0;

	if (s < 0)
		return fd_ret(s);
	memset(&m, 0, sizeof(m));
	if (msg->msg_iovlen > PX_IOV_MAX)
		r = -EMSGSIZE;
	else if (msg->msg_name)
		r = sock_addr_in(msg->msg_name, msg->msg_namelen, &a);
	if (!r) {
		m.msg_name = msg->msg_name ? &a : NULL;
		m.msg_namelen = msg->msg_name ? sizeof(a) : 0;
		m.msg_iov = msg->msg_iov; /* struct iovec: the same layout both sides */
		m.msg_iovlen = (int)msg->msg_iovlen;
		r = lwip_sendmsg(s, &m, sock_flags_in(flags));
		if (r < 0)
			r = sock_errno();
	}
	file_put(f);
	return fd_ret(r);
}

ssize_t recvmsg(int fd, struct px_msghdr *msg, int flags)
{
	struct file *f;
	struct sockaddr_in a;
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
	r = lwip_recvmsg(s, &m, sock_flags_in(flags));
	if (r < 0) {
		r = sock_errno();
	} else {
		if (msg->msg_name && a.sin_family == AF_INET)
			sock_addr_out((struct sockaddr *)&a, msg->msg_name, &msg->msg_namelen);
		else
			msg->msg_namelen = 0;
		msg->msg_controllen = 0;
		msg->msg_flags = (m.msg_flags & MSG_TRUNC ? PX_MSG_TRUNC : 0) |
				 (m.msg_flags & MSG_CTRUNC ? PX_MSG_CTRUNC : 0);
	}
	file_put(f);
	return fd_ret(r);
}
