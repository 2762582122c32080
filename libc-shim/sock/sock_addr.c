/* Socket addresses: the app's Linux-layout sockaddr_in/sockaddr_in6 <-> lwIP's BSD-layout ones
 * (sin_len first), each socket's family, and v4-mapped addresses on dual-stack IPv6 sockets. */
#include <errno.h>
#include <string.h>

#include "sock_internal.h"

/* Which lwIP sockets are AF_INET6 (indexed by lwIP's socket number). */
static uint8_t is6[(MEMP_NUM_NETCONN + 7) / 8];

void sock_family_set(int s, int px_family)
{
	if (s < 0 || s >= MEMP_NUM_NETCONN)
		return;
	if (px_family == PX_AF_INET6)
		__atomic_or_fetch(&is6[s / 8], (uint8_t)(1u << (s % 8)), __ATOMIC_RELAXED);
	else
		__atomic_and_fetch(&is6[s / 8], (uint8_t)~(1u << (s % 8)), __ATOMIC_RELAXED);
}

int sock_family(int s)
{
	if (s < 0 || s >= MEMP_NUM_NETCONN)
		return PX_AF_INET;
	return __atomic_load_n(&is6[s / 8], __ATOMIC_RELAXED) & (1u << (s % 8)) ? PX_AF_INET6
										   : PX_AF_INET;
}

/* Linux's rules: an AF_INET socket takes sockaddr_in (16 bytes), an
 * AF_INET6 one sockaddr_in6 (24 bytes at least: RFC 2133's, without the
 * scope id); AF_UNSPEC passes (connect: dissolve; bind: INADDR_ANY). */
int sock_addr_in(int s, const void *px, unsigned int len, union sock_lwaddr *out,
		 socklen_t *outlen)
{
	uint16_t family;

	if (!px || len < sizeof(family))
		return -EINVAL;
	memcpy(&family, px, sizeof(family));
	memset(out, 0, sizeof(*out));
	if (family == PX_AF_UNSPEC) {
		out->in.sin_len = sizeof(out->in);
		out->in.sin_family = AF_UNSPEC;
		*outlen = sizeof(out->in);
		return 0;
	}
	if (family != sock_family(s))
		return -EAFNOSUPPORT;
	if (family == PX_AF_INET) {
		struct px_sockaddr_in in;
		if (len < sizeof(in))
			return -EINVAL;
		memcpy(&in, px, sizeof(in));
		out->in.sin_len = sizeof(out->in);
		out->in.sin_family = AF_INET;
		out->in.sin_port = in.sin_port;
		out->in.sin_addr.s_addr = in.sin_addr;
		*outlen = sizeof(out->in);
		return 0;
	}
	struct px_sockaddr_in6 in6;
	if (len < PX_SIN6_LEN_RFC2133)
		return -EINVAL;
	memset(&in6, 0, sizeof(in6));
	memcpy(&in6, px, len < sizeof(in6) ? len : sizeof(in6));
	out->in6.sin6_len = sizeof(out->in6);
	out->in6.sin6_family = AF_INET6;
	out->in6.sin6_port = in6.sin6_port;
	out->in6.sin6_flowinfo = in6.sin6_flowinfo;
	memcpy(&out->in6.sin6_addr, in6.sin6_addr, 16);
	/* Linux's interface indexes are lwIP's netif indexes (lo 1, en0 2). */
	out->in6.sin6_scope_id = in6.sin6_scope_id;
	*outlen = sizeof(out->in6);
	return 0;
}

int sock_addr_valid(const union sock_lwaddr *lw)
{
	return lw->sa.sa_family == AF_INET || lw->sa.sa_family == AF_INET6;
}

void sock_addr_out(int s, const union sock_lwaddr *lw, void *px, unsigned int *len)
{
	if (lw->sa.sa_family == AF_INET && sock_family(s) == PX_AF_INET) {
		struct px_sockaddr_in out;
		memset(&out, 0, sizeof(out));
		out.sin_family = PX_AF_INET;
		out.sin_port = lw->in.sin_port;
		out.sin_addr = lw->in.sin_addr.s_addr;
		memcpy(px, &out, *len < sizeof(out) ? *len : sizeof(out));
		*len = sizeof(out);
		return;
	}
	struct px_sockaddr_in6 out;
	memset(&out, 0, sizeof(out));
	out.sin6_family = PX_AF_INET6;
	if (lw->sa.sa_family == AF_INET) {
		/* An IPv4 peer of a dual-stack socket: ::ffff:a.b.c.d, as Linux gives. */
		out.sin6_port = lw->in.sin_port;
		out.sin6_addr[10] = out.sin6_addr[11] = 0xff;
		memcpy(&out.sin6_addr[12], &lw->in.sin_addr.s_addr, 4);
	} else {
		out.sin6_port = lw->in6.sin6_port;
		out.sin6_flowinfo = lw->in6.sin6_flowinfo;
		memcpy(out.sin6_addr, &lw->in6.sin6_addr, 16);
		out.sin6_scope_id = lw->in6.sin6_scope_id;
	}
	memcpy(px, &out, *len < sizeof(out) ? *len : sizeof(out));
	*len = sizeof(out);
}
