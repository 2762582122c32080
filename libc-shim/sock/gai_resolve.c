/* getaddrinfo's host part: numeric IPv4 and IPv6 (with %scope), no host, localhost, and DNS (A and AAAA). */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <netdb.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "gai_resolve.h"
#include "sock_dns.h"

static void set4(struct gai_addr *g, in_addr_t a)
{
	g->family = AF_INET;
	memcpy(g->a, &a, 4);
}

static void set6(struct gai_addr *g, const struct in6_addr *a)
{
	g->family = AF_INET6;
	memcpy(g->a, a, 16);
}

/* ::ffff:a.b.c.d for an IPv4 address (AI_V4MAPPED). */
static void map4(struct gai_addr *g)
{
	uint8_t v4[4];

	memcpy(v4, g->a, 4);
	memset(g->a, 0, 10);
	g->a[10] = g->a[11] = 0xff;
	memcpy(&g->a[12], v4, 4);
	g->family = AF_INET6;
}

/* "ADDR%SCOPE": a numeric IPv6 address with an interface name or number. */
static int numeric6(const char *name, struct gai_addr *g)
{
	char buf[INET6_ADDRSTRLEN];
	const char *pct = strchr(name, '%');
	size_t len = pct ? (size_t)(pct - name) : strlen(name);
	struct in6_addr a;

	if (len >= sizeof(buf))
		return 0;
	memcpy(buf, name, len);
	buf[len] = '\0';
	if (inet_pton(AF_INET6, buf, &a) != 1)
		return 0;
	g->scope_id = 0;
	if (pct) {
		char *end;
		unsigned long idx = strtoul(pct + 1, &end, 10);
		if (!pct[1] || *end)
			idx = if_nametoindex(pct + 1);
		if (!idx)
			return 0;
		g->scope_id = (uint32_t)idx;
	}
	set6(g, &a);
	return 1;
}

int gai_lookup_err(int err)
{
	if (err == -ENOMEM)
		return EAI_MEMORY;
	if (err == -ENOENT)
		return EAI_NONAME;
	if (err) {
		errno = -err; /* EHOSTUNREACH: no DNS server; ENETUNREACH: no address */
		return EAI_FAIL;
	}
	return 0;
}

/* AF_UNSPEC: the A and the AAAA record, in RFC 6724's order as glibc applies
 * it: IPv6 first only where the guest has an IPv6 address of a scope that
 * reaches it (not link-local alone), else IPv4 first. */
static int lookup_both(const char *node, struct gai_addr out[2], int *n)
{
	struct gai_addr a4 = { 0 }, a6 = { 0 };
	int err4 = gai_lookup_err(shim_dns_lookup_want(node, SHIM_DNS_V4, &a4.family, a4.a));
	if (err4 == EAI_FAIL || err4 == EAI_MEMORY)
		return err4; /* no server, no network or no memory: AAAA fares no better */
	int err6 = gai_lookup_err(shim_dns_lookup_want(node, SHIM_DNS_V6, &a6.family, a6.a));
	if (err4 && err6)
		return err4;
	*n = 0;
	int v6_first = !err6 && shim_net_has_global6();
	if (!err6 && v6_first)
		out[(*n)++] = a6;
	if (!err4)
		out[(*n)++] = a4;
	if (!err6 && !v6_first)
		out[(*n)++] = a6;
	return 0;
}

/* node -> addresses, in the order Linux's glibc gives them. 0 or an EAI_ value. */
int gai_resolve(const char *node, int family, int flags, struct gai_addr out[2], int *n)
{
	struct in_addr a4;

	memset(out, 0, 2 * sizeof(*out));
	*n = 1;
	if (!node) {
		/* AI_PASSIVE: 0.0.0.0 then ::; otherwise ::1 then 127.0.0.1. */
		int passive = flags & AI_PASSIVE;
		in_addr_t v4 = htonl(passive ? INADDR_ANY : INADDR_LOOPBACK);
		const struct in6_addr *v6 = passive ? &in6addr_any : &in6addr_loopback;
		if (family == AF_INET) {
			set4(&out[0], v4);
		} else if (family == AF_INET6) {
			set6(&out[0], v6);
		} else if (passive) {
			set4(&out[0], v4);
			set6(&out[1], v6);
			*n = 2;
		} else {
			set6(&out[0], v6);
			set4(&out[1], v4);
			*n = 2;
		}
		return 0;
	}
	if (inet_aton(node, &a4)) {
		set4(&out[0], a4.s_addr);
		if (family != AF_INET6)
			return 0;
		if (!(flags & AI_V4MAPPED))
			return EAI_ADDRFAMILY;
		map4(&out[0]);
		return 0;
	}
	if (numeric6(node, &out[0]))
		return family == AF_INET ? EAI_ADDRFAMILY : 0;
	if (strcasecmp(node, "localhost") == 0) {
		/* 127.0.0.1 unless IPv6 is asked for (a hosts file without ::1). */
		if (family == AF_INET6)
			set6(&out[0], &in6addr_loopback);
		else
			set4(&out[0], htonl(INADDR_LOOPBACK));
		return 0;
	}
	if (flags & AI_NUMERICHOST)
		return EAI_NONAME;
	uint32_t host;
	if (shim_hosts_lookup(node, &host) == 0) { /* --add-host names (IPv4), before DNS */
		set4(&out[0], host);
		if (family != AF_INET6)
			return 0;
		if (flags & AI_V4MAPPED) {
			map4(&out[0]);
			return 0;
		}
		/* no IPv6 entry for it: DNS may have one, as glibc goes on to ask */
	}
	if (family == AF_UNSPEC)
		return lookup_both(node, out, n);
	enum shim_dns_want want = family == AF_INET ? SHIM_DNS_V4 :
				  flags & AI_V4MAPPED ? SHIM_DNS_V6_V4 : SHIM_DNS_V6;
	int err = gai_lookup_err(shim_dns_lookup_want(node, want, &out[0].family, out[0].a));
	if (err)
		return err;
	out[0].scope_id = 0;
	if (family == AF_INET6 && out[0].family == AF_INET)
		map4(&out[0]);
	return 0;
}

