/* getaddrinfo, getnameinfo, gethostbyname, getservbyname: numeric forms here, names through the hosts table (hosts.c), then lwIP's DNS. */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "shim.h"
#include "sock_dns.h"

int h_errno;

static const struct { const char *name; int port; } services[] = {
	{ "echo", 7 }, { "ftp", 21 }, { "ssh", 22 }, { "telnet", 23 }, { "smtp", 25 },
	{ "domain", 53 }, { "http", 80 }, { "https", 443 }, { "redis", 6379 },
	{ "http-alt", 8080 },
};

/* Port (host order) for a service name or number; -1 if unknown. */
static int service_port(const char *s, int numeric_only)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (*s && !*end)
		return v >= 0 && v <= 65535 ? (int)v : -1;
	if (numeric_only)
		return -1;
	for (size_t i = 0; i < sizeof(services) / sizeof(services[0]); i++)
		if (strcmp(services[i].name, s) == 0)
			return services[i].port;
	return -1;
}

/* name -> IPv4 address (network order): numeric, "localhost", or DNS. 0 or an EAI_ value. */
static int resolve(const char *name, int numeric_only, in_addr_t *out)
{
	struct in_addr a;
	uint32_t dns;

	if (inet_aton(name, &a)) {
		*out = a.s_addr;
		return 0;
	}
	if (strcasecmp(name, "localhost") == 0) {
		*out = htonl(INADDR_LOOPBACK);
		return 0;
	}
	if (numeric_only)
		return EAI_NONAME;
	if (shim_hosts_lookup(name, &dns) == 0) {
		*out = dns;
		return 0;
	}
	int err = shim_dns_lookup(name, &dns);
	if (err == -ENOMEM)
		return EAI_MEMORY;
	if (err == -ENOENT)
		return EAI_NONAME;
	if (err) {
		errno = -err; /* EHOSTUNREACH: no DNS server; ENETUNREACH: no address */
		return EAI_FAIL;
	}
	*out = dns;
	return 0;
}

struct ai_block {
	struct addrinfo ai;
	struct sockaddr_in sin;
};

int getaddrinfo(const char *node, const char *service, const struct addrinfo *hints,
		struct addrinfo **res)
{
	int flags = hints ? hints->ai_flags : 0;
	int family = hints ? hints->ai_family : AF_UNSPEC;
	int socktype = hints ? hints->ai_socktype : 0;
	int protocol = hints ? hints->ai_protocol : 0;
	int port = 0;
	in_addr_t addr;

	if (!node && !service)
		return EAI_NONAME;
	if (flags & ~(AI_PASSIVE | AI_CANONNAME | AI_NUMERICHOST | AI_V4MAPPED | AI_ALL |
		      AI_ADDRCONFIG | AI_NUMERICSERV))
		return EAI_BADFLAGS;
	if (family != AF_UNSPEC && family != AF_INET) {
		errno = EAFNOSUPPORT; /* what socket() would say: callers that test errno skip IPv6 */
		return EAI_FAMILY;
	}
	if (socktype != 0 && socktype != SOCK_STREAM && socktype != SOCK_DGRAM)
		return EAI_SOCKTYPE;
	if (service && *service && (port = service_port(service, flags & AI_NUMERICSERV)) < 0)
		return EAI_SERVICE;
	if (!node) {
		addr = htonl(flags & AI_PASSIVE ? INADDR_ANY : INADDR_LOOPBACK);
	} else {
		int err = resolve(node, flags & AI_NUMERICHOST, &addr);
		if (err)
			return err;
	}
	/* One entry per socket type asked for (both when none). */
	static const int types[2] = { SOCK_STREAM, SOCK_DGRAM };
	struct addrinfo *head = NULL, **tail = &head;
	for (int i = 0; i < 2; i++) {
		if (socktype && socktype != types[i])
			continue;
		struct ai_block *b = calloc(1, sizeof(*b));
		if (!b) {
			freeaddrinfo(head);
			return EAI_MEMORY;
		}
		b->sin.sin_family = AF_INET;
		b->sin.sin_port = htons((uint16_t)port);
		b->sin.sin_addr.s_addr = addr;
		b->ai.ai_family = AF_INET;
		b->ai.ai_socktype = types[i];
		b->ai.ai_protocol = protocol ? protocol : types[i] == SOCK_STREAM ? IPPROTO_TCP : IPPROTO_UDP;
		b->ai.ai_addrlen = sizeof(b->sin);
		b->ai.ai_addr = (struct sockaddr *)&b->sin;
		if (!head && (flags & AI_CANONNAME) && node && !(b->ai.ai_canonname = strdup(node))) {
			free(b);
			return EAI_MEMORY;
		}
		*tail = &b->ai;
		tail = &b->ai.ai_next;
	}
	*res = head;
	return 0;
}

void freeaddrinfo(struct addrinfo *ai)
{
	while (ai) {
		struct addrinfo *next = ai->ai_next;
		free(ai->ai_canonname);
		free(ai); /* the ai_block it starts */
		ai = next;
	}
}

const char *gai_strerror(int err)
{
	switch (err) {
	case 0: return "Success";
	case EAI_BADFLAGS: return "Bad value for ai_flags";
	case EAI_NONAME: return "Name or service not known";
	case EAI_AGAIN: return "Temporary failure in name resolution";
	case EAI_FAIL: return "Non-recoverable failure in name resolution";
	case EAI_FAMILY: return "ai_family not supported";
	case EAI_SOCKTYPE: return "ai_socktype not supported";
	case EAI_SERVICE: return "Servname not supported for ai_socktype";
	case EAI_MEMORY: return "Memory allocation failure";
	case EAI_SYSTEM: return "System error";
	case EAI_OVERFLOW: return "Argument buffer overflow";
	default: return "Unknown error";
	}
}

int getnameinfo(const struct sockaddr *sa, socklen_t salen, char *host, socklen_t hostlen,
		char *serv, socklen_t servlen, int flags)
{
	const struct sockaddr_in *sin = (const struct sockaddr_in *)sa;

	if (!sa || salen < sizeof(*sin) || sa->sa_family != AF_INET)
		return EAI_FAMILY;
	if (host && hostlen) {
		if (flags & NI_NAMEREQD)
			return EAI_NONAME; /* no reverse DNS */
		if (!inet_ntop(AF_INET, &sin->sin_addr, host, hostlen))
			return EAI_OVERFLOW;
	}
	if (serv && servlen &&
	    snprintf(serv, servlen, "%u", ntohs(sin->sin_port)) >= (int)servlen)
		return EAI_OVERFLOW;
	return 0;
}

int gethostbyname_r(const char *name, struct hostent *ret, char *buf, size_t buflen,
		    struct hostent **result, int *h_errnop)
{
	struct layout {
		in_addr_t addr;
		char *addr_list[2];
		char *aliases[1];
	} *l = (struct layout *)(((uintptr_t)buf + 7) & ~(uintptr_t)7);
	size_t namelen = strlen(name) + 1;

	*result = NULL;
	if ((char *)(l + 1) + namelen > buf + buflen)
		return ERANGE;
	int err = resolve(name, 0, &l->addr);
	if (err) {
		*h_errnop = err == EAI_NONAME ? HOST_NOT_FOUND : NO_RECOVERY;
		return err == EAI_MEMORY ? ENOMEM : ENOENT;
	}
	char *hname = (char *)(l + 1);
	memcpy(hname, name, namelen);
	l->addr_list[0] = (char *)&l->addr;
	l->addr_list[1] = NULL;
	l->aliases[0] = NULL;
	ret->h_name = hname;
	ret->h_aliases = l->aliases;
	ret->h_addrtype = AF_INET;
	ret->h_length = sizeof(in_addr_t);
	ret->h_addr_list = l->addr_list;
	*result = ret;
	return 0;
}

struct hostent *gethostbyname(const char *name)
{
	static struct hostent he;
	static char buf[320];
	struct hostent *res;

	if (gethostbyname_r(name, &he, buf, sizeof(buf), &res, &h_errno))
		return NULL;
	return res;
}

const char *hstrerror(int err)
{
	switch (err) {
	case HOST_NOT_FOUND: return "Unknown host";
	case TRY_AGAIN: return "Host name lookup failure";
	case NO_RECOVERY: return "Unknown server error";
	case NO_DATA: return "No address associated with name";
	default: return "Resolver internal error";
	}
}

struct servent *getservbyname(const char *name, const char *proto)
{
	static struct servent se;
	static char *aliases[1];
	int port = service_port(name, 0);

	if (port < 0 || strspn(name, "0123456789") == strlen(name))
		return NULL;
	se.s_name = (char *)name;
	se.s_aliases = aliases;
	se.s_port = htons((uint16_t)port);
	se.s_proto = (char *)(proto ? proto : "tcp");
	return &se;
}
