/* libc-shim's socket files: the socket file kind and the translations between the app's ABI and lwIP's. */
#ifndef SKIFF_SHIM_SOCK_INTERNAL_H
#define SKIFF_SHIM_SOCK_INTERNAL_H

#include "lwip/sockets.h"
#include "fd.h"
#include "sock_abi.h"

/* sock.c */
extern const struct file_ops sock_ops;
/* The lwIP socket behind fd, with a reference on its file in *fp
 * (file_put it), or -EBADF / -ENOTSOCK. */
int sock_get(int fd, struct file **fp);
/* Wrap lwIP socket s in a file at the lowest free fd; flags may hold
 * PX_SOCK_NONBLOCK. Closes s on failure. Returns the fd or -errno. */
int sock_install(int s, int flags);
/* -errno for the error lwIP just stored in errno (after a -1 return). */
int sock_errno(void);

/* sock_addr.c: app sockaddr <-> lwIP sockaddr, and each socket's family. */
union sock_lwaddr {
	struct sockaddr sa;
	struct sockaddr_in in;
	struct sockaddr_in6 in6;
};
/* Record lwIP socket s as PX_AF_INET or PX_AF_INET6 (socket, accept). */
void sock_family_set(int s, int px_family);
int sock_family(int s);
/* The app's address for socket s into *out (*outlen: its lwIP size).
 * 0 or -EINVAL / -EAFNOSUPPORT (a family other than the socket's).
 * AF_UNSPEC passes through. */
int sock_addr_in(int s, const void *px, unsigned int len, union sock_lwaddr *out,
		 socklen_t *outlen);
/* Does lw hold an address lwIP filled in (AF_INET or AF_INET6)? */
int sock_addr_valid(const union sock_lwaddr *lw);
/* Copy an lwIP address out to the app, truncated to *len; *len gets the full
 * size. An IPv4 address on an AF_INET6 socket comes out v4-mapped. */
void sock_addr_out(int s, const union sock_lwaddr *lw, void *px, unsigned int *len);

/* sock_io.c */
int sock_flags_in(int px_flags);
/* Hold f's sender lock around one lwIP send (px_flags: the app's MSG_*):
 * 0, or -EAGAIN when MSG_DONTWAIT finds another sender inside. */
int sock_send_lock(struct file *f, int px_flags);
void sock_send_unlock(struct file *f);
/* Hold f's receiver lock around one lwIP receive: 0, or -EAGAIN when MSG_DONTWAIT
 * finds another receiver inside or SO_RCVTIMEO runs out waiting for it. */
int sock_recv_lock(struct file *f, int px_flags);
void sock_recv_unlock(struct file *f);

/* A socket file's own state (f->priv, allocated by sock_install). */
struct sock_file {
	struct sk_mutex rlock; /* one receiver at a time (sock_recv_lock) */
	int eof;               /* a read returned end of stream (under rlock) */
};
/* A receive's result r (bytes or -errno) for n wanted, as Linux gives it: after a
 * stream's end lwIP answers ENOTCONN, Linux 0 again and again. Under rlock. */
long sock_recv_result(struct file *f, long r, size_t n);
/* Bytes an iovec array holds. */
size_t sock_iov_bytes(const struct iovec *iov, int n);

/* sock_bcast.c: err (-errno) from a sendto to `to`, made -EACCES where it was a
 * broadcast address and the socket lacks SO_BROADCAST. */
int sock_bcast_errno(int s, int err, const union sock_lwaddr *to);

/* sock_poll.c */
int sock_poll_many(struct file **files, struct pollfd *pfds, unsigned n, int timeout_ms);
short sock_poll_one(struct file *f, short events);

/* sock_order.c: wrap lwIP socket s's event callback to stamp arrivals (after
 * lwip_socket/lwip_accept); the stamp of the file's socket for epoll. */
void sock_order_track(int s);
uint64_t sock_ready_stamp(struct file *f);

#endif
