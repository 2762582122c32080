/* IPv6 probe, built for skiff and natively: `names` prints inet_pton/inet_ntop/getaddrinfo/getnameinfo
 * results (the test compares both builds' output), `serve PORT [N [v6only]]` accepts on an [::] listener and
 * reports each peer, `source ADDR PORT` connects over IPv6 and prints the source address chosen,
 * `resolve NAME...` prints getaddrinfo's answers for each family. */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static void pton_ntop(int af, const char *text)
{
	unsigned char buf[16];
	char out[INET6_ADDRSTRLEN];
	int r = inet_pton(af, text, buf);

	if (r != 1) {
		printf("pton %d %s -> %d\n", af == AF_INET6 ? 6 : 4, text, r);
		return;
	}
	printf("pton %d %s -> %s\n", af == AF_INET6 ? 6 : 4, text,
	       inet_ntop(af, buf, out, sizeof(out)) ? out : "ntop failed");
}

static const char *family(int f)
{
	return f == AF_INET ? "inet" : f == AF_INET6 ? "inet6" : "other";
}

static void gai(const char *node, const char *serv, int fam, int socktype, int flags)
{
	struct addrinfo hints = { .ai_family = fam, .ai_socktype = socktype, .ai_flags = flags };
	struct addrinfo *res, *ai;
	int err = getaddrinfo(node, serv, &hints, &res);

	printf("gai %s %s fam=%s type=%d flags=%#x:", node ? node : "NULL", serv ? serv : "NULL",
	       fam == AF_UNSPEC ? "unspec" : family(fam), socktype, flags);
	if (err) {
		printf(" error %d\n", err);
		return;
	}
	for (ai = res; ai; ai = ai->ai_next) {
		char host[NI_MAXHOST], port[NI_MAXSERV];
		int e = getnameinfo(ai->ai_addr, ai->ai_addrlen, host, sizeof(host), port, sizeof(port),
				    NI_NUMERICHOST | NI_NUMERICSERV);
		printf(" [%s %d %d len=%u %s %s]", family(ai->ai_family), ai->ai_socktype, ai->ai_protocol,
		       (unsigned)ai->ai_addrlen, e ? "?" : host, e ? "?" : port);
	}
	printf("\n");
	freeaddrinfo(res);
}

static void nameinfo6(const char *text, unsigned scope, int port)
{
	struct sockaddr_in6 a = { .sin6_family = AF_INET6, .sin6_port = htons((unsigned short)port),
				  .sin6_scope_id = scope };
	char host[NI_MAXHOST], serv[NI_MAXSERV];

	inet_pton(AF_INET6, text, &a.sin6_addr);
	int e = getnameinfo((struct sockaddr *)&a, sizeof(a), host, sizeof(host), serv, sizeof(serv),
			    NI_NUMERICHOST | NI_NUMERICSERV);
	printf("nameinfo %s scope=%u -> %d %s %s\n", text, scope, e, e ? "" : host, e ? "" : serv);
	e = getnameinfo((struct sockaddr *)&a, sizeof(struct sockaddr_in), host, sizeof(host), NULL, 0,
			NI_NUMERICHOST);
	printf("nameinfo %s short salen -> %d\n", text, e);
	e = getnameinfo((struct sockaddr *)&a, sizeof(a), host, 4, NULL, 0, NI_NUMERICHOST);
	printf("nameinfo %s hostlen 4 -> %d\n", text, e);
}

static int names(void)
{
	static const char *v6[] = {
		"::", "::1", "1::", "1:2:3:4:5:6:7:8", "2001:db8::1", "2001:DB8:0:0:1:0:0:1",
		"2001:db8:0:1:1:1:1:1", "fe80::5054:ff:fe12:3456", "::ffff:10.0.2.15",
		"::ffff:1.2.3.4", "::1.2.3.4", "::2:3", "1:0:0:2:0:0:0:3", "0:0:1::", "ff02::1:ff00:1",
		"1:2:3:4:5:6:1.2.3.4", "::ffff:0:1.2.3.4", "0001:0002::", "a:b:c:d:e:f:0:0",
		/* malformed */
		":::", "1:::2", "1::2::3", "1:2:3:4:5:6:7:8:9", "12345::", "1:2:3:4:5:6:7", ":1::",
		"1::2:", "::1.2.3", "::1.2.3.04", "1:2:3:4:5:6:7:1.2.3.4", "g::", "", "fe80::1%1",
		"1::2:3:4:5:6:7:8",
	};
	static const char *v4[] = { "10.0.2.15", "1.2.3", "01.2.3.4", "::1" };

	for (size_t i = 0; i < sizeof(v6) / sizeof(v6[0]); i++)
		pton_ntop(AF_INET6, v6[i]);
	for (size_t i = 0; i < sizeof(v4) / sizeof(v4[0]); i++)
		pton_ntop(AF_INET, v4[i]);
	char small[8];
	unsigned char b[16];
	inet_pton(AF_INET6, "2001:db8::1", b);
	errno = 0;
	printf("ntop small -> %s errno=%s\n", inet_ntop(AF_INET6, b, small, sizeof(small)) ? "ok" : "NULL",
	       errno == ENOSPC ? "ENOSPC" : "other");

	gai(NULL, "80", AF_UNSPEC, SOCK_STREAM, AI_PASSIVE);
	gai(NULL, "80", AF_UNSPEC, SOCK_STREAM, 0);
	gai(NULL, "8080", AF_INET6, SOCK_STREAM, AI_PASSIVE);
	gai(NULL, "8080", AF_INET6, SOCK_DGRAM, 0);
	gai(NULL, "53", AF_INET, SOCK_DGRAM, AI_PASSIVE);
	gai("::1", "7", AF_UNSPEC, SOCK_STREAM, 0);
	gai("2001:db8::5", "443", AF_INET6, SOCK_STREAM, AI_NUMERICHOST);
	gai("2001:db8::5", "443", AF_INET, SOCK_STREAM, AI_NUMERICHOST);
	gai("10.1.2.3", "22", AF_INET6, SOCK_STREAM, AI_NUMERICHOST);
	gai("10.1.2.3", "22", AF_INET6, SOCK_STREAM, AI_NUMERICHOST | AI_V4MAPPED);
	gai("10.1.2.3", "22", AF_UNSPEC, SOCK_STREAM, AI_NUMERICHOST);
	gai("::ffff:10.1.2.3", "22", AF_UNSPEC, SOCK_STREAM, AI_NUMERICHOST);
	gai("fe80::1%1", "22", AF_INET6, SOCK_STREAM, AI_NUMERICHOST);
	gai("not-a-number", "22", AF_INET6, SOCK_STREAM, AI_NUMERICHOST);
	gai("1::2::3", "22", AF_UNSPEC, SOCK_STREAM, AI_NUMERICHOST);

	nameinfo6("2001:db8::1", 0, 80);
	nameinfo6("::ffff:10.0.2.2", 0, 5555);
	nameinfo6("fe80::1", 1, 22);
	nameinfo6("2001:db8::1", 1, 22);
	return 0;
}

static void print_addr(const char *what, const struct sockaddr_storage *ss, socklen_t len)
{
	char host[NI_MAXHOST], port[NI_MAXSERV];
	int e = getnameinfo((const struct sockaddr *)ss, len, host, sizeof(host), port, sizeof(port),
			    NI_NUMERICHOST | NI_NUMERICSERV);
	printf("v6check: %s %s len=%u [%s]:%s\n", what, family(ss->ss_family), (unsigned)len,
	       e ? "?" : host, e ? "?" : port);
}

/* Accept clients on [::]:port (dual stack, or IPv6 only with v6only) and
 * report each one's address, then echo a line. */
static int serve(int port, int count, int v6only_set)
{
	struct sockaddr_in6 a = { .sin6_family = AF_INET6, .sin6_port = htons((unsigned short)port) };
	int one = 1, fd = socket(AF_INET6, SOCK_STREAM, 0);
	int v6only = -1, domain = -1;
	socklen_t ol = sizeof(v6only);

	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    (v6only_set && setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one))) ||
	    getsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &v6only, &ol) ||
	    bind(fd, (struct sockaddr *)&a, sizeof(a)) || listen(fd, 8)) {
		perror("v6check: listen");
		return 1;
	}
	ol = sizeof(domain);
	getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &domain, &ol);
	printf("v6check: listening v6only=%d domain=%s\n", v6only, family(domain));
	fflush(stdout);
	for (int i = 0; i < count; i++) {
		struct sockaddr_storage peer, self, peer2;
		socklen_t plen = sizeof(peer), slen = sizeof(self), p2len = sizeof(peer2);
		int c = accept(fd, (struct sockaddr *)&peer, &plen);
		if (c < 0) {
			perror("v6check: accept");
			return 1;
		}
		getsockname(c, (struct sockaddr *)&self, &slen);
		getpeername(c, (struct sockaddr *)&peer2, &p2len);
		print_addr("accepted", &peer, plen);
		print_addr("peername", &peer2, p2len);
		print_addr("sockname", &self, slen);
		fflush(stdout);
		char buf[256];
		ssize_t n = read(c, buf, sizeof(buf));
		if (n > 0)
			write(c, buf, (size_t)n);
		close(c);
	}
	return 0;
}

/* Connect to [addr]:port over IPv6 and print the source; retry while SLAAC settles
 * (no route before a router advertisement, a link-local source while the
 * autoconfigured address is still tentative). */
static int source(const char *addr, int port)
{
	struct sockaddr_in6 a = { .sin6_family = AF_INET6, .sin6_port = htons((unsigned short)port) };

	if (inet_pton(AF_INET6, addr, &a.sin6_addr) != 1) {
		printf("v6check: bad address %s\n", addr);
		return 2;
	}
	for (int tries = 0; tries < 40; tries++) {
		int fd = socket(AF_INET6, SOCK_STREAM, 0);
		if (fd < 0) {
			perror("v6check: socket");
			return 1;
		}
		if (connect(fd, (struct sockaddr *)&a, sizeof(a)) == 0) {
			struct sockaddr_storage self;
			socklen_t slen = sizeof(self);
			getsockname(fd, (struct sockaddr *)&self, &slen);
			const unsigned char *s6 = ((struct sockaddr_in6 *)&self)->sin6_addr.s6_addr;
			if (s6[0] == 0xfe && (s6[1] & 0xc0) == 0x80 && tries < 39) {
				print_addr("link-local source", &self, slen);
				close(fd);
				nanosleep(&(struct timespec){ .tv_nsec = 250000000 }, NULL);
				continue;
			}
			print_addr("source", &self, slen);
			write(fd, "hello over ipv6\n", 16);
			char buf[64];
			ssize_t n = read(fd, buf, sizeof(buf) - 1);
			printf("v6check: reply %.*s", n > 0 ? (int)n : 0, buf);
			close(fd);
			return 0;
		}
		printf("v6check: connect: %s\n", strerror(errno));
		close(fd);
		nanosleep(&(struct timespec){ .tv_nsec = 250000000 }, NULL);
	}
	return 1;
}

/* getaddrinfo(name) for AF_UNSPEC, AF_INET6 and AF_INET: every address, in order. */
static int resolve(const char *name)
{
	static const int fams[] = { AF_UNSPEC, AF_INET6, AF_INET };

	for (int i = 0; i < 3; i++)
		gai(name, "80", fams[i], SOCK_STREAM, 0);
	return 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc >= 2 && strcmp(argv[1], "names") == 0)
		return names();
	if (argc >= 3 && strcmp(argv[1], "serve") == 0)
		return serve(atoi(argv[2]), argc >= 4 ? atoi(argv[3]) : 1,
			     argc >= 5 && strcmp(argv[4], "v6only") == 0);
	if (argc >= 3 && strcmp(argv[1], "resolve") == 0) {
		for (int i = 2; i < argc; i++)
			resolve(argv[i]);
		return 0;
	}
	if (argc >= 4 && strcmp(argv[1], "source") == 0)
		return source(argv[2], atoi(argv[3]));
	fprintf(stderr, "usage: v6check names | serve PORT [N [v6only]] | source ADDR PORT | "
		"resolve NAME...\n");
	return 2;
}
