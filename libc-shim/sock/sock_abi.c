/* Compile-time check that sock_abi.h (used beside lwIP's headers) matches the public socket headers. */
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <fcntl.h>

#include "sock_abi.h"

#define SAME(a) _Static_assert(a == PX_##a, #a " differs from sock_abi.h")
SAME(AF_UNSPEC); SAME(AF_UNIX); SAME(AF_INET); SAME(AF_INET6);
SAME(SOCK_STREAM); SAME(SOCK_DGRAM); SAME(SOCK_RAW); SAME(SOCK_NONBLOCK); SAME(SOCK_CLOEXEC);
SAME(SOL_SOCKET); SAME(SO_DEBUG); SAME(SO_REUSEADDR); SAME(SO_TYPE); SAME(SO_ERROR);
SAME(SO_DONTROUTE); SAME(SO_BROADCAST); SAME(SO_SNDBUF); SAME(SO_RCVBUF); SAME(SO_KEEPALIVE);
SAME(SO_OOBINLINE); SAME(SO_NO_CHECK); SAME(SO_LINGER); SAME(SO_REUSEPORT); SAME(SO_RCVLOWAT);
SAME(SO_SNDLOWAT); SAME(SO_RCVTIMEO); SAME(SO_SNDTIMEO); SAME(SO_ACCEPTCONN); SAME(SO_PROTOCOL);
SAME(SO_DOMAIN);
SAME(IPPROTO_IP); SAME(IPPROTO_TCP); SAME(IPPROTO_UDP); SAME(IPPROTO_IPV6); SAME(IP_TOS); SAME(IP_TTL); SAME(IPV6_V6ONLY);
SAME(TCP_NODELAY); SAME(TCP_MAXSEG); SAME(TCP_KEEPIDLE); SAME(TCP_KEEPINTVL); SAME(TCP_KEEPCNT);
SAME(MSG_OOB); SAME(MSG_PEEK); SAME(MSG_CTRUNC); SAME(MSG_TRUNC); SAME(MSG_DONTWAIT);
SAME(MSG_WAITALL); SAME(MSG_NOSIGNAL); SAME(MSG_MORE);
SAME(FIONREAD); SAME(IOV_MAX);
_Static_assert(SOCK_NONBLOCK == O_NONBLOCK && SOCK_CLOEXEC == O_CLOEXEC, "SOCK_* flags");

_Static_assert(sizeof(struct sockaddr_in) == sizeof(struct px_sockaddr_in) &&
	       offsetof(struct sockaddr_in, sin_port) == offsetof(struct px_sockaddr_in, sin_port) &&
	       offsetof(struct sockaddr_in, sin_addr) == offsetof(struct px_sockaddr_in, sin_addr),
	       "struct sockaddr_in");
_Static_assert(sizeof(struct sockaddr_in6) == sizeof(struct px_sockaddr_in6) &&
	       offsetof(struct sockaddr_in6, sin6_port) == offsetof(struct px_sockaddr_in6, sin6_port) &&
	       offsetof(struct sockaddr_in6, sin6_flowinfo) ==
	       offsetof(struct px_sockaddr_in6, sin6_flowinfo) &&
	       offsetof(struct sockaddr_in6, sin6_addr) == offsetof(struct px_sockaddr_in6, sin6_addr) &&
	       offsetof(struct sockaddr_in6, sin6_scope_id) ==
	       offsetof(struct px_sockaddr_in6, sin6_scope_id),
	       "struct sockaddr_in6");
_Static_assert(sizeof(struct msghdr) == sizeof(struct px_msghdr) &&
	       offsetof(struct msghdr, msg_iovlen) == offsetof(struct px_msghdr, msg_iovlen) &&
	       offsetof(struct msghdr, msg_controllen) == offsetof(struct px_msghdr, msg_controllen) &&
	       offsetof(struct msghdr, msg_flags) == offsetof(struct px_msghdr, msg_flags),
	       "struct msghdr");
