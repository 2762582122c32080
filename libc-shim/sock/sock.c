/* Socket life cycle on lwIP: socket, bind, listen, accept, connect, shutdown, names, close. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <skiff/net.h>
#include "shim.h"
#include "sock_internal.h"

int sock_errno(void)
{
	return errno ? -errno : -EIO;
}

static int sock_close(struct file *f)
{
	free(f->priv);
	return lwip_close(f->handle) == 0 ? 0 : sock_errno();
}

static ssize_t sock_read(struct file *f, void *buf, size_t n)
{
	ssize_t r = sock_recv_lock(f, 0);
	if (r == 0) {
		r = lwip_recv(f->handle, buf, n, 0);
		r = sock_recv_result(f, r < 0 ? sock_errno() : r, n);
		sock_recv_unlock(f);
	}
	return r;
}

static ssize_t sock_write(struct file *f, const void *buf, size_t n)
{
	sock_send_lock(f, 0);
	ssize_t r = lwip_send(f->handle, buf, n, 0);
	if (r < 0)
		r = sock_errno();
	sock_send_unlock(f);
	return r;
}

/* readv/writev: one recvmsg / sendmsg, so a datagram is one datagram both ways. */
static ssize_t sock_readv(struct file *f, const struct iovec *iov, int iovcnt)
{
	ssize_t r = sock_recv_lock(f, 0);
	if (r == 0) {
		r = lwip_readv(f->handle, iov, iovcnt);
		r = sock_recv_result(f, r < 0 ? sock_errno() : r, sock_iov_bytes(iov, iovcnt));
		sock_recv_unlock(f);
	}
	return r;
}

static ssize_t sock_writev(struct file *f, const struct iovec *iov, int iovcnt)
{
	sock_send_lock(f, 0);
	ssize_t r = lwip_writev(f->handle, iov, iovcnt);
	if (r < 0)
		r = sock_errno();
	sock_send_unlock(f);
	return r;
}

static int sock_fstat(struct file *f, struct stat *st)
{
	memset(st, 0, sizeof(*st));
	st->st_mode = S_IFSOCK | 0777;
	st->st_ino = (ino_t)f->handle + 1;
	st->st_blksize = 4096;
	return 0;
}

static int sock_setfl(struct file *f, int flags)
{
	int on = (flags & O_NONBLOCK) != 0;
	return lwip_ioctl(f->handle, FIONBIO, &on) == 0 ? 0 : sock_errno();
}

static int sock_ioctl(struct file *f, unsigned long req, void *arg)
{
	if (req != PX_FIONREAD)
		return -ENOTTY;
	int n = 0;
	if (lwip_ioctl(f->handle, FIONREAD, &n) != 0)
		return sock_errno();
	*(int *)arg = n;
	return 0;
}

const struct file_ops sock_ops = {
	.read = sock_read,
	.write = sock_write,
	.readv = sock_readv,
	.writev = sock_writev,
	.fstat = sock_fstat,
	.setfl = sock_setfl,
	.ioctl = sock_ioctl,
	.poll = sock_poll_one,
	.poll_many = sock_poll_many,
	.close = sock_close,
	.ready_stamp = sock_ready_stamp,
};

int sock_get(int fd, struct file **fp)
{
	struct file *f = fd_get(fd);

	if (!f)
		return -EBADF;
	if (f->ops != &sock_ops) {
		file_put(f);
		return -ENOTSOCK;
	}
	*fp = f;
	return f->handle;
}

int sock_install(int s, int flags)
{
	struct sock_file *sf = calloc(1, sizeof(*sf));
	struct file *f = sf ? file_new(&sock_ops, O_RDWR | (flags & PX_SOCK_NONBLOCK ? O_NONBLOCK : 0),
				       sf) : NULL;
	int fd;

	if (!f) {
		free(sf);
		lwip_close(s);
		return -ENOMEM;
	}
	sk_mutex_init(&sf->rlock, 0);
	f->handle = s;
	sock_order_track(s);
	if ((flags & PX_SOCK_NONBLOCK) && (fd = sock_setfl(f, O_NONBLOCK)) < 0) {
		file_put(f);
		return fd;
	}
	if ((fd = fd_install(f, 0)) < 0)
		file_put(f); /* closes s */
	return fd;
}

int socket(int domain, int type, int protocol)
{
	int flags = type & (PX_SOCK_NONBLOCK | PX_SOCK_CLOEXEC);

	type &= ~flags;
	if (domain != PX_AF_INET && domain != PX_AF_INET6)
		return (int)fd_ret(domain == PX_AF_UNIX ? -EAFNOSUPPORT : -EINVAL);
	if (type != PX_SOCK_STREAM && type != PX_SOCK_DGRAM)
		return (int)fd_ret(type == PX_SOCK_RAW ? -EPROTONOSUPPORT : -EINVAL);
	if ((type == PX_SOCK_STREAM && protocol && protocol != PX_IPPROTO_TCP) ||
	    (type == PX_SOCK_DGRAM && protocol && protocol != PX_IPPROTO_UDP))
		return (int)fd_ret(-EPROTONOSUPPORT);
	int err = net_start();
	if (err)
		return (int)fd_ret(err);
	/* An AF_INET6 socket is dual-stack until IPV6_V6ONLY (Linux's default). */
	int s = lwip_socket(domain == PX_AF_INET6 ? AF_INET6 : AF_INET,
			    type == PX_SOCK_STREAM ? SOCK_STREAM : SOCK_DGRAM, 0);
	if (s < 0)
		return (int)fd_ret(errno == ENFILE ? -EMFILE : sock_errno());
	sock_family_set(s, domain);
	return (int)fd_ret(sock_install(s, flags));
}

int socketpair(int domain, int type, int protocol, int sv[2])
{
	(void)domain;
	(void)type;
	(void)protocol;
	(void)sv;
	return shim_unsupported("socketpair", EOPNOTSUPP, "EOPNOTSUPP");
}

int bind(int fd, const struct sockaddr *addr, unsigned int len)
{
	struct file *f;
	union sock_lwaddr a;
	socklen_t alen;
	int s = sock_get(fd, &f), r;

	if (s < 0)
		return (int)fd_ret(s);
	r = sock_addr_in(s, addr, len, &a, &alen);
	if (!r && lwip_bind(s, &a.sa, alen) != 0)
		r = sock_errno();
	file_put(f);
	return (int)fd_ret(r);
}

int listen(int fd, int backlog)
{
	struct file *f;
	int s = sock_get(fd, &f), r = 0;

	if (s < 0)
		return (int)fd_ret(s);
	if (backlog <= 0 || backlog > 255)
		backlog = 255; /* lwIP's backlog is a u8_t */
	if (lwip_listen(s, backlog) != 0)
		r = sock_errno();
	file_put(f);
	return (int)fd_ret(r);
}

int accept4(int fd, struct sockaddr *addr, unsigned int *len, int flags)
{
	struct file *f;
	union sock_lwaddr a;
	socklen_t alen = sizeof(a);
	int s = sock_get(fd, &f), r;

	if (s < 0)
		return (int)fd_ret(s);
	if (flags & ~(PX_SOCK_NONBLOCK | PX_SOCK_CLOEXEC)) {
		file_put(f);
		return (int)fd_ret(-EINVAL);
	}
	memset(&a, 0, sizeof(a));
	int c = lwip_accept(s, &a.sa, &alen);
	if (c >= 0)
		sock_family_set(c, sock_family(s));
	r = c < 0 ? sock_errno() : sock_install(c, flags);
	if (r >= 0 && addr && len)
		sock_addr_out(s, &a, addr, len);
	file_put(f);
	return (int)fd_ret(r);
}

int accept(int fd, struct sockaddr *addr, unsigned int *len)
{
	return accept4(fd, addr, len, 0);
}

int connect(int fd, const struct sockaddr *addr, unsigned int len)
{
	struct file *f;
	union sock_lwaddr a;
	socklen_t alen;
	int s = sock_get(fd, &f), r;

	if (s < 0)
		return (int)fd_ret(s);
	r = sock_addr_in(s, addr, len, &a, &alen);
	if (!r && lwip_connect(s, &a.sa, alen) != 0)
		r = sock_errno();
	if (r == -ECONNRESET)
		r = -ECONNREFUSED; /* lwIP's word for a RST answering our SYN */
	file_put(f);
	return (int)fd_ret(r);
}

int shutdown(int fd, int how)
{
	struct file *f;
	int s = sock_get(fd, &f), r = 0;

	if (s < 0)
		return (int)fd_ret(s);
	if (lwip_shutdown(s, how) != 0)
		r = sock_errno();
	file_put(f);
	return (int)fd_ret(r);
}

static int name(int fd, struct sockaddr *addr, unsigned int *len, int peer)
{
	struct file *f;
	union sock_lwaddr a;
	socklen_t alen = sizeof(a);
	int s = sock_get(fd, &f), r = 0;

	if (s < 0)
		return (int)fd_ret(s);
	memset(&a, 0, sizeof(a));
	if ((peer ? lwip_getpeername : lwip_getsockname)(s, &a.sa, &alen) != 0)
		r = sock_errno();
	else if (addr && len)
		sock_addr_out(s, &a, addr, len);
	else
		r = -EFAULT;
	file_put(f);
	return (int)fd_ret(r);
}

int getsockname(int fd, struct sockaddr *addr, unsigned int *len)
{
	return name(fd, addr, len, 0);
}

int getpeername(int fd, struct sockaddr *addr, unsigned int *len)
{
	return name(fd, addr, len, 1);
}
