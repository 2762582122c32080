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

/* sock_addr.c: app sockaddr <-> lwIP sockaddr. */
/* Returns 0 or -EINVAL / -EAFNOSUPPORT. AF_UNSPEC passes through. */
int sock_addr_in(const void *px, unsigned int len, struct sockaddr_in *out);
/* Copy an lwIP address out to the app, truncated to *len; *len gets the full size. */
void sock_addr_out(const struct sockaddr *lw, void *px, unsigned int *len);

/* sock_io.c */
int sock_flags_in(int px_flags);

/* sock_bcast.c: err (-errno) from a sendto to `to`, made -EACCES where it was a
 * broadcast address and the socket lacks SO_BROADCAST. */
int sock_bcast_errno(int s, int err, const struct sockaddr_in *to);

/* sock_poll.c */
int sock_poll_many(struct file **files, struct pollfd *pfds, unsigned n, int timeout_ms);
short sock_poll_one(struct file *f, short events);

/* sock_order.c: wrap lwIP socket s's event callback to stamp arrivals (after
 * lwip_socket/lwip_accept); the stamp of the file's socket for epoll. */
void sock_order_track(int s);
uint64_t sock_ready_stamp(struct file *f);

#endif
