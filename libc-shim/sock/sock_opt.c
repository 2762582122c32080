/* setsockopt/getsockopt: the app's (Linux) levels and names mapped onto lwIP's. */
#include <errno.h>
#include <string.h>

#include "sock_internal.h"

/* Options lwIP lacks that are safe to accept and ignore. */
enum { MAP_LWIP, MAP_IGNORE, MAP_NONE };

struct opt_map {
	int px_level, px_name;
	int how;
	int level, name; /* lwIP's, for MAP_LWIP */
};

static const struct opt_map opts[] = {
	{ PX_SOL_SOCKET, PX_SO_REUSEADDR, MAP_LWIP, SOL_SOCKET, SO_REUSEADDR },
	{ PX_SOL_SOCKET, PX_SO_REUSEPORT, MAP_LWIP, SOL_SOCKET, SO_REUSEADDR },
	{ PX_SOL_SOCKET, PX_SO_TYPE, MAP_LWIP, SOL_SOCKET, SO_TYPE },
	{ PX_SOL_SOCKET, PX_SO_ERROR, MAP_LWIP, SOL_SOCKET, SO_ERROR },
	{ PX_SOL_SOCKET, PX_SO_BROADCAST, MAP_LWIP, SOL_SOCKET, SO_BROADCAST },
	{ PX_SOL_SOCKET, PX_SO_KEEPALIVE, MAP_LWIP, SOL_SOCKET, SO_KEEPALIVE },
	{ PX_SOL_SOCKET, PX_SO_LINGER, MAP_LWIP, SOL_SOCKET, SO_LINGER },
	{ PX_SOL_SOCKET, PX_SO_RCVBUF, MAP_LWIP, SOL_SOCKET, SO_RCVBUF },
	{ PX_SOL_SOCKET, PX_SO_RCVTIMEO, MAP_LWIP, SOL_SOCKET, SO_RCVTIMEO },
	{ PX_SOL_SOCKET, PX_SO_SNDTIMEO, MAP_LWIP, SOL_SOCKET, SO_SNDTIMEO },
	{ PX_SOL_SOCKET, PX_SO_ACCEPTCONN, MAP_LWIP, SOL_SOCKET, SO_ACCEPTCONN },
	{ PX_SOL_SOCKET, PX_SO_NO_CHECK, MAP_LWIP, SOL_SOCKET, SO_NO_CHECK },
	{ PX_SOL_SOCKET, PX_SO_SNDBUF, MAP_IGNORE, 0, 0 },
	{ PX_SOL_SOCKET, PX_SO_RCVLOWAT, MAP_IGNORE, 0, 0 },
	{ PX_SOL_SOCKET, PX_SO_SNDLOWAT, MAP_IGNORE, 0, 0 },
	{ PX_SOL_SOCKET, PX_SO_DEBUG, MAP_IGNORE, 0, 0 },
	{ PX_SOL_SOCKET, PX_SO_DONTROUTE, MAP_IGNORE, 0, 0 },
	{ PX_SOL_SOCKET, PX_SO_OOBINLINE, MAP_IGNORE, 0, 0 },
	{ PX_IPPROTO_TCP, PX_TCP_NODELAY, MAP_LWIP, IPPROTO_TCP, TCP_NODELAY },
	{ PX_IPPROTO_TCP, PX_TCP_KEEPIDLE, MAP_LWIP, IPPROTO_TCP, TCP_KEEPIDLE },
	{ PX_IPPROTO_TCP, PX_TCP_KEEPINTVL, MAP_LWIP, IPPROTO_TCP, TCP_KEEPINTVL },
	{ PX_IPPROTO_TCP, PX_TCP_KEEPCNT, MAP_LWIP, IPPROTO_TCP, TCP_KEEPCNT },
	{ PX_IPPROTO_TCP, PX_TCP_MAXSEG, MAP_IGNORE, 0, 0 },
	{ PX_IPPROTO_IP, PX_IP_TOS, MAP_LWIP, IPPROTO_IP, IP_TOS },
	{ PX_IPPROTO_IP, PX_IP_TTL, MAP_LWIP, IPPROTO_IP, IP_TTL },
	/* Multicast (lwIP's IGMP). struct ip_mreq is laid out as on Linux; TTL and LOOP
	 * are read as their first byte, so an int works as on Linux. */
	{ PX_IPPROTO_IP, PX_IP_ADD_MEMBERSHIP, MAP_LWIP, IPPROTO_IP, IP_ADD_MEMBERSHIP },
	{ PX_IPPROTO_IP, PX_IP_DROP_MEMBERSHIP, MAP_LWIP, IPPROTO_IP, IP_DROP_MEMBERSHIP },
	{ PX_IPPROTO_IP, PX_IP_MULTICAST_IF, MAP_LWIP, IPPROTO_IP, IP_MULTICAST_IF },
	{ PX_IPPROTO_IP, PX_IP_MULTICAST_TTL, MAP_LWIP, IPPROTO_IP, IP_MULTICAST_TTL },
	{ PX_IPPROTO_IP, PX_IP_MULTICAST_LOOP, MAP_LWIP, IPPROTO_IP, IP_MULTICAST_LOOP },
};

/* Linux's IP_MULTICAST_IF also takes a struct ip_mreq or ip_mreqn, whose interface
 * address is the second field; lwIP takes only the struct in_addr. */
static const void *multicast_if_addr(int level, int name, const void *val, unsigned int *len)
{
	if (level == PX_IPPROTO_IP && name == PX_IP_MULTICAST_IF && val && *len >= 8) {
		*len = 4;
		return (const char *)val + 4;
	}
	return val;
}

/* lwIP writes one byte for the u8 options; Linux gives an int. */
static int is_byte_option(int level, int name)
{
	return level == PX_IPPROTO_IP && (name == PX_IP_MULTICAST_TTL || name == PX_IP_MULTICAST_LOOP);
}

static const struct opt_map *lookup(int level, int name)
{
	for (size_t i = 0; i < sizeof(opts) / sizeof(opts[0]); i++)
		if (opts[i].px_level == level && opts[i].px_name == name)
			return &opts[i];
	return NULL;
}

/* Values for the ignored options and the ones skiff answers itself. */
static int own_value(int s, int level, int name, int *v)
{
	if (level == PX_SOL_SOCKET && name == PX_SO_SNDBUF)
		*v = TCP_SND_BUF;
	else if (level == PX_IPPROTO_TCP && name == PX_TCP_MAXSEG)
		*v = TCP_MSS;
	else if (level == PX_SOL_SOCKET && name == PX_SO_DOMAIN)
		*v = PX_AF_INET;
	else if (level == PX_SOL_SOCKET && name == PX_SO_PROTOCOL) {
		int type = 0;
		socklen_t len = sizeof(type);
		lwip_getsockopt(s, SOL_SOCKET, SO_TYPE, &type, &len);
		*v = type == SOCK_STREAM ? PX_IPPROTO_TCP : PX_IPPROTO_UDP;
	} else if (level == PX_SOL_SOCKET && (name == PX_SO_RCVLOWAT || name == PX_SO_SNDLOWAT))
		*v = 1;
	else
		*v = 0;
	return 0;
}

int setsockopt(int fd, int level, int name, const void *val, unsigned int len)
{
	struct file *f;
	int s = sock_get(fd, &f), r = 0;

	if (s < 0)
		return (int)fd_ret(s);
	const struct opt_map *m = lookup(level, name);
	val = multicast_if_addr(level, name, val, &len);
	if (!val && len)
		r = -EFAULT;
	else if (!m)
		r = -ENOPROTOOPT;
	else if (m->how == MAP_LWIP && lwip_setsockopt(s, m->level, m->name, val, len) != 0)
		r = sock_errno();
	file_put(f);
	return (int)fd_ret(r);
}

int getsockopt(int fd, int level, int name, void *val, unsigned int *len)
{
	struct file *f;
	int s = sock_get(fd, &f), r = 0;

	if (s < 0)
		return (int)fd_ret(s);
	const struct opt_map *m = lookup(level, name);
	if (!val || !len) {
		r = -EFAULT;
	} else if (m && m->how == MAP_LWIP) {
		int byte = is_byte_option(level, name) && *len >= sizeof(int);
		if (byte)
			memset(val, 0, sizeof(int));
		if (lwip_getsockopt(s, m->level, m->name, val, len) != 0)
			r = sock_errno();
		else if (byte)
			*len = sizeof(int);
		else if (m->name == SO_TYPE && m->level == SOL_SOCKET && *len >= sizeof(int))
			*(int *)val = *(int *)val == SOCK_STREAM ? PX_SOCK_STREAM : PX_SOCK_DGRAM;
	} else if (m || (level == PX_SOL_SOCKET &&
			 (name == PX_SO_DOMAIN || name == PX_SO_PROTOCOL))) {
		int v;
		own_value(s, level, name, &v);
		if (*len < sizeof(int)) {
			r = -EINVAL;
		} else {
			memcpy(val, &v, sizeof(v));
			*len = sizeof(v);
		}
	} else {
		r = -ENOPROTOOPT;
	}
	file_put(f);
	return (int)fd_ret(r);
}
