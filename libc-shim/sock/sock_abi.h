/* The app-side socket ABI (Linux numbers and layouts, as in libc-shim/include) for files that
 * also include lwIP's headers; sock_abi.c checks every value against the public headers. */
#ifndef SKIFF_SHIM_SOCK_ABI_H
#define SKIFF_SHIM_SOCK_ABI_H

#include <stddef.h>
#include <stdint.h>

#define PX_AF_UNSPEC 0
#define PX_AF_UNIX 1
#define PX_AF_INET 2
#define PX_AF_INET6 10

#define PX_SOCK_STREAM 1
#define PX_SOCK_DGRAM 2
#define PX_SOCK_RAW 3
#define PX_SOCK_NONBLOCK 0x4000
#define PX_SOCK_CLOEXEC 0x40000

#define PX_SOL_SOCKET 1
#define PX_SO_DEBUG 1
#define PX_SO_REUSEADDR 2
#define PX_SO_TYPE 3
#define PX_SO_ERROR 4
#define PX_SO_DONTROUTE 5
#define PX_SO_BROADCAST 6
#define PX_SO_SNDBUF 7
#define PX_SO_RCVBUF 8
#define PX_SO_KEEPALIVE 9
#define PX_SO_OOBINLINE 10
#define PX_SO_NO_CHECK 11
#define PX_SO_LINGER 13
#define PX_SO_REUSEPORT 15
#define PX_SO_RCVLOWAT 18
#define PX_SO_SNDLOWAT 19
#define PX_SO_RCVTIMEO 20
#define PX_SO_SNDTIMEO 21
#define PX_SO_ACCEPTCONN 30
#define PX_SO_PROTOCOL 38
#define PX_SO_DOMAIN 39

#define PX_IPPROTO_IP 0
#define PX_IPPROTO_TCP 6
#define PX_IPPROTO_UDP 17
#define PX_IPPROTO_IPV6 41
#define PX_IP_TOS 1
#define PX_IP_TTL 2
#define PX_IP_MULTICAST_IF 32
#define PX_IP_MULTICAST_TTL 33
#define PX_IP_MULTICAST_LOOP 34
#define PX_IP_ADD_MEMBERSHIP 35
#define PX_IP_DROP_MEMBERSHIP 36
#define PX_TCP_NODELAY 1
#define PX_TCP_MAXSEG 2
#define PX_TCP_KEEPIDLE 4
#define PX_TCP_KEEPINTVL 5
#define PX_TCP_KEEPCNT 6

#define PX_MSG_OOB 0x1
#define PX_MSG_PEEK 0x2
#define PX_MSG_CTRUNC 0x8
#define PX_MSG_TRUNC 0x20
#define PX_MSG_DONTWAIT 0x40
#define PX_MSG_WAITALL 0x100
#define PX_MSG_NOSIGNAL 0x4000
#define PX_MSG_MORE 0x8000

#define PX_FIONREAD 0x541b
#define PX_IOV_MAX 1024

struct px_sockaddr_in {
	uint16_t sin_family;
	uint16_t sin_port;
	uint32_t sin_addr;
	uint8_t sin_zero[8];
};

struct px_msghdr {
	void *msg_name;
	unsigned int msg_namelen;
	struct iovec *msg_iov;
	size_t msg_iovlen;
	void *msg_control;
	size_t msg_controllen;
	int msg_flags;
};

#endif
