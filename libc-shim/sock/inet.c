/* IPv4/IPv6 text <-> binary: inet_aton, inet_addr, inet_ntoa, inet_pton, inet_ntop; interface names. */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "inet6.h"

const struct in6_addr in6addr_any = IN6ADDR_ANY_INIT;
const struct in6_addr in6addr_loopback = IN6ADDR_LOOPBACK_INIT;

/* Strict dotted quad (inet_pton): four decimal parts 0-255, no leading zeros. */
static int parse_quad(const char *s, uint8_t out[4])
{
	for (int i = 0; i < 4; i++) {
		unsigned v = 0;
		int digits = 0;
		while (*s >= '0' && *s <= '9') {
			if (digits && v == 0)
				return 0;
			v = v * 10 + (unsigned)(*s++ - '0');
			if (++digits > 3 || v > 255)
				return 0;
		}
		if (!digits || *s != (i < 3 ? '.' : '\0'))
			return 0;
		s++;
		out[i] = (uint8_t)v;
	}
	return 1;
}

/* BSD inet_aton: a, a.b, a.b.c or a.b.c.d, each part decimal, octal or hex. */
int inet_aton(const char *cp, struct in_addr *inp)
{
	unsigned long parts[4];
	int n = 0;

	for (;;) {
		char *end;
		if (!(*cp >= '0' && *cp <= '9'))
			return 0;
		parts[n++] = strtoul(cp, &end, 0);
		cp = end;
		if (*cp == '.' && n < 4) {
			cp++;
			continue;
		}
		if (*cp != '\0')
			return 0;
		break;
	}
	static const unsigned long max_last[4] = { 0xffffffffUL, 0xffffffUL, 0xffffUL, 0xffUL };
	unsigned long v = 0;
	for (int i = 0; i < n - 1; i++) {
		if (parts[i] > 255)
			return 0;
		v |= parts[i] << (24 - 8 * i);
	}
	if (parts[n - 1] > max_last[n - 1])
		return 0;
	v |= parts[n - 1];
	if (inp)
		inp->s_addr = htonl((uint32_t)v);
	return 1;
}

in_addr_t inet_addr(const char *cp)
{
	struct in_addr a;

	return inet_aton(cp, &a) ? a.s_addr : INADDR_NONE;
}

char *inet_ntoa(struct in_addr in)
{
	static char buf[INET_ADDRSTRLEN];

	return (char *)inet_ntop(AF_INET, &in, buf, sizeof(buf));
}

int inet_pton(int af, const char *src, void *dst)
{
	if (af == AF_INET6)
		return inet6_pton(src, dst, parse_quad);
	if (af != AF_INET) {
		errno = EAFNOSUPPORT;
		return -1;
	}
	return parse_quad(src, dst);
}

const char *inet_ntop(int af, const void *src, char *dst, socklen_t size)
{
	const uint8_t *b = src;
	char buf[INET_ADDRSTRLEN];

	if (af == AF_INET6)
		return inet6_ntop(src, dst, size) == 0 ? dst : NULL;
	if (af != AF_INET) {
		errno = EAFNOSUPPORT;
		return NULL;
	}
	int n = snprintf(buf, sizeof(buf), "%u.%u.%u.%u", b[0], b[1], b[2], b[3]);
	if (n < 0 || (socklen_t)n >= size) {
		errno = ENOSPC;
		return NULL;
	}
	memcpy(dst, buf, (size_t)n + 1);
	return dst;
}

/* Loopback "lo" is index 1, the network device "en0" index 2, as on Linux
 * and as lwIP numbers its interfaces (IPv6 scope ids use these). */
unsigned int if_nametoindex(const char *name)
{
	return strcmp(name, "lo") == 0 ? 1 : strcmp(name, "en0") == 0 ? 2 : 0;
}

char *if_indextoname(unsigned int index, char *name)
{
	if (index < 1 || index > 2) {
		errno = ENXIO;
		return NULL;
	}
	strcpy(name, index == 1 ? "lo" : "en0");
	return name;
}
