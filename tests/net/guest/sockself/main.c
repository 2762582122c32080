/* Guest self-test of the socket layer over 127.0.0.1: TCP, UDP, poll, select, O_NONBLOCK,
 * socket options, names, getaddrinfo and more fds than newlib's FD_SETSIZE. Prints "sockself: ok". */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#define CHECK(c) do { if (!(c)) { printf("sockself: FAIL %s:%d: %s (errno %d)\n", \
	__FILE__, __LINE__, #c, errno); exit(1); } } while (0)

static struct sockaddr_in loop_addr(int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return a;
}

static void *echo_thread(void *arg)
{
	int lfd = *(int *)arg;
	for (;;) {
		int c = accept(lfd, NULL, NULL);
		if (c < 0)
			return NULL;
		char buf[4096];
		ssize_t n;
		while ((n = read(c, buf, sizeof(buf))) > 0)
			CHECK(write(c, buf, (size_t)n) == n);
		close(c);
	}
}

static void test_tcp(int port)
{
	int lfd = socket(AF_INET, SOCK_STREAM, 0), one = 1;
	struct sockaddr_in a = loop_addr(port);
	CHECK(lfd >= 3);
	CHECK(setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) == 0);
	CHECK(bind(lfd, (struct sockaddr *)&a, sizeof(a)) == 0);
	CHECK(listen(lfd, 8) == 0);
	int v = 0;
	socklen_t vl = sizeof(v);
	CHECK(getsockopt(lfd, SOL_SOCKET, SO_ACCEPTCONN, &v, &vl) == 0 && v);
	CHECK(getsockopt(lfd, SOL_SOCKET, SO_TYPE, &v, &vl) == 0 && v == SOCK_STREAM);
	pthread_t t;
	CHECK(pthread_create(&t, NULL, echo_thread, &lfd) == 0);

	int s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
	CHECK(connect(s, (struct sockaddr *)&a, sizeof(a)) == 0);
	CHECK(setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)) == 0);
	struct sockaddr_in peer, me;
	socklen_t pl = sizeof(peer), ml = sizeof(me);
	CHECK(getpeername(s, (struct sockaddr *)&peer, &pl) == 0 && pl == sizeof(peer));
	CHECK(peer.sin_family == AF_INET && peer.sin_port == htons((uint16_t)port));
	CHECK(getsockname(s, (struct sockaddr *)&me, &ml) == 0 && me.sin_addr.s_addr == htonl(INADDR_LOOPBACK));

	/* writev + MSG_WAITALL round trip */
	char a1[] = "hello ", a2[] = "world";
	struct iovec iov[2] = { { a1, 6 }, { a2, 5 } };
	CHECK(writev(s, iov, 2) == 11);
	char buf[64] = { 0 };
	CHECK(recv(s, buf, 11, MSG_WAITALL) == 11 && memcmp(buf, "hello world", 11) == 0);

	/* non-blocking: nothing to read yet */
	CHECK(fcntl(s, F_SETFL, fcntl(s, F_GETFL) | O_NONBLOCK) == 0);
	CHECK((fcntl(s, F_GETFL) & O_NONBLOCK) != 0);
	CHECK(recv(s, buf, sizeof(buf), 0) == -1 && (errno == EAGAIN || errno == EWOULDBLOCK));
	CHECK(send(s, "x", 1, 0) == 1);
	struct pollfd p = { .fd = s, .events = POLLIN };
	CHECK(poll(&p, 1, 5000) == 1 && (p.revents & POLLIN));
	int avail = 0;
	CHECK(ioctl(s, FIONREAD, &avail) == 0 && avail == 1);
	CHECK(recv(s, buf, sizeof(buf), MSG_PEEK) == 1 && recv(s, buf, sizeof(buf), 0) == 1);

	/* select with a timeout: nothing, then data */
	fd_set rd;
	FD_ZERO(&rd);
	FD_SET(s, &rd);
	struct timeval tv = { 0, 50000 };
	CHECK(select(s + 1, &rd, NULL, NULL, &tv) == 0);
	CHECK(send(s, "y", 1, 0) == 1);
	FD_SET(s, &rd);
	tv.tv_sec = 5;
	CHECK(select(s + 1, &rd, NULL, NULL, &tv) == 1 && FD_ISSET(s, &rd));
	CHECK(read(s, buf, 1) == 1 && buf[0] == 'y');

	/* non-blocking connect: EINPROGRESS (or at once), then writable with SO_ERROR 0 */
	int nb = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	int r = connect(nb, (struct sockaddr *)&a, sizeof(a));
	CHECK(r == 0 || errno == EINPROGRESS);
	struct pollfd w = { .fd = nb, .events = POLLOUT };
	CHECK(poll(&w, 1, 5000) == 1 && (w.revents & POLLOUT));
	int soerr = -1;
	vl = sizeof(soerr);
	CHECK(getsockopt(nb, SOL_SOCKET, SO_ERROR, &soerr, &vl) == 0 && soerr == 0);
	CHECK(close(nb) == 0);
	/* nobody listens on port + 100: refused */
	struct sockaddr_in none = loop_addr(port + 100);
	nb = socket(AF_INET, SOCK_STREAM, 0);
	CHECK(connect(nb, (struct sockaddr *)&none, sizeof(none)) == -1 && errno == ECONNREFUSED);
	CHECK(close(nb) == 0);

	/* fstat says socket; shutdown(WR) makes the peer close; then EOF */
	struct stat st;
	CHECK(fstat(s, &st) == 0 && S_ISSOCK(st.st_mode));
	CHECK(fcntl(s, F_SETFL, 0) == 0);
	CHECK(shutdown(s, SHUT_WR) == 0);
	CHECK(recv(s, buf, sizeof(buf), 0) == 0);
	CHECK(recv(s, buf, sizeof(buf), 0) == 0 && read(s, buf, 1) == 0); /* EOF stays EOF */
	CHECK(close(s) == 0);
	CHECK(close(s) == -1 && errno == EBADF);
	printf("sockself: tcp ok\n");
}

static void test_udp(int port)
{
	int u1 = socket(AF_INET, SOCK_DGRAM, 0), u2 = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in a = loop_addr(port), from;
	socklen_t fl = sizeof(from);
	char buf[2000];
	CHECK(bind(u1, (struct sockaddr *)&a, sizeof(a)) == 0);
	CHECK(sendto(u2, "ping", 4, 0, (struct sockaddr *)&a, sizeof(a)) == 4);
	CHECK(recvfrom(u1, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fl) == 4);
	CHECK(fl == sizeof(from) && from.sin_family == AF_INET && memcmp(buf, "ping", 4) == 0);
	CHECK(sendto(u1, buf, 4, 0, (struct sockaddr *)&from, fl) == 4);
	struct msghdr m = { 0 };
	struct iovec iov = { buf, sizeof(buf) };
	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	m.msg_name = &from;
	m.msg_namelen = sizeof(from);
	CHECK(recvmsg(u2, &m, 0) == 4 && m.msg_namelen == sizeof(from) && from.sin_port == htons((uint16_t)port));
	/* writev is one datagram, readv scatters one datagram (as on Linux) */
	CHECK(connect(u2, (struct sockaddr *)&a, sizeof(a)) == 0);
	struct iovec out[3] = { { "ab", 2 }, { "", 0 }, { "cdefg", 5 } };
	CHECK(writev(u2, out, 3) == 7);
	CHECK(recv(u1, buf, sizeof(buf), 0) == 7 && memcmp(buf, "abcdefg", 7) == 0);
	CHECK(writev(u2, out, 3) == 7);
	char h[3], t[8];
	struct iovec in[2] = { { h, sizeof(h) }, { t, sizeof(t) } };
	CHECK(readv(u1, in, 2) == 7 && memcmp(h, "abc", 3) == 0 && memcmp(t, "defg", 4) == 0);
	close(u1);
	close(u2);
	printf("sockself: udp ok\n");
}

static void test_many_fds(int port)
{
	enum { N = 200 };
	static int fds[N];
	for (int i = 0; i < N; i++)
		CHECK((fds[i] = socket(AF_INET, SOCK_DGRAM, 0)) >= 0);
	CHECK(fds[N - 1] >= 100); /* past newlib's FD_SETSIZE of 64 */
	struct sockaddr_in a = loop_addr(port + 1);
	CHECK(bind(fds[N - 1], (struct sockaddr *)&a, sizeof(a)) == 0);
	CHECK(sendto(fds[0], "z", 1, 0, (struct sockaddr *)&a, sizeof(a)) == 1);
	fd_set rd;
	FD_ZERO(&rd);
	for (int i = 0; i < N; i++)
		FD_SET(fds[i], &rd);
	CHECK(select(fds[N - 1] + 1, &rd, NULL, NULL, NULL) == 1 && FD_ISSET(fds[N - 1], &rd));
	int d = dup(fds[N - 1]);
	CHECK(d >= 0 && close(fds[N - 1]) == 0);
	char c;
	CHECK(recv(d, &c, 1, 0) == 1 && c == 'z');
	close(d);
	for (int i = 0; i < N - 1; i++)
		CHECK(close(fds[i]) == 0);
	printf("sockself: %d fds ok\n", N);
}

static void test_names(void)
{
	struct addrinfo hints = { .ai_family = AF_INET, .ai_socktype = SOCK_STREAM }, *res;
	CHECK(getaddrinfo("10.1.2.3", "80", &hints, &res) == 0);
	struct sockaddr_in *sin = (struct sockaddr_in *)res->ai_addr;
	CHECK(res->ai_family == AF_INET && sin->sin_port == htons(80) && res->ai_next == NULL);
	char txt[INET_ADDRSTRLEN];
	CHECK(strcmp(inet_ntop(AF_INET, &sin->sin_addr, txt, sizeof(txt)), "10.1.2.3") == 0);
	freeaddrinfo(res);
	CHECK(getaddrinfo("localhost", "http", NULL, &res) == 0 && res->ai_next != NULL);
	freeaddrinfo(res);
	CHECK(getaddrinfo(NULL, "7", &(struct addrinfo){ .ai_flags = AI_PASSIVE }, &res) == 0);
	CHECK(((struct sockaddr_in *)res->ai_addr)->sin_addr.s_addr == INADDR_ANY);
	freeaddrinfo(res);
	CHECK(getaddrinfo("x.invalid", NULL, &(struct addrinfo){ .ai_flags = AI_NUMERICHOST }, &res) == EAI_NONAME);
	CHECK(inet_addr("1.2.3.4") == htonl(0x01020304) && inet_addr("1.2.3.256") == INADDR_NONE);
	struct in_addr ia;
	CHECK(inet_pton(AF_INET, "192.168.0.1", &ia) == 1 && inet_pton(AF_INET, "192.168.01.1", &ia) == 0);
	CHECK(socket(AF_UNIX, SOCK_STREAM, 0) == -1 && errno == EAFNOSUPPORT);
	CHECK(send(1, "x", 1, 0) == -1 && errno == ENOTSOCK);
	printf("sockself: names ok\n");
}

/* IPv6 over the loopback: [::1] to a [::] listener, and an IPv4 client of
 * the same dual-stack listener seen as ::ffff:127.0.0.1; IPV6_V6ONLY is
 * refused on an IPv4 socket. */
static void test_ipv6_loopback(int port)
{
	struct sockaddr_in6 any6 = { .sin6_family = AF_INET6, .sin6_port = htons(port) };
	struct sockaddr_in6 lo6 = any6, peer;
	struct sockaddr_in lo4 = { .sin_family = AF_INET, .sin_port = htons(port),
				   .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len;
	int one = 1, v = -1, l = socket(AF_INET6, SOCK_STREAM, 0);
	char txt[INET6_ADDRSTRLEN], buf[8];

	lo6.sin6_addr = in6addr_loopback;
	CHECK(l >= 0 && setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) == 0);
	CHECK(bind(l, (struct sockaddr *)&lo4, sizeof(lo4)) == -1 && errno == EAFNOSUPPORT);
	CHECK(bind(l, (struct sockaddr *)&any6, sizeof(any6)) == 0 && listen(l, 4) == 0);
	len = sizeof(v);
	CHECK(getsockopt(l, IPPROTO_IPV6, IPV6_V6ONLY, &v, &len) == 0 && v == 0);
	for (int round = 0; round < 2; round++) {
		int c = round == 0 ? socket(AF_INET6, SOCK_STREAM, 0) : socket(AF_INET, SOCK_STREAM, 0);
		CHECK(c >= 0);
		CHECK(round == 0 ? connect(c, (struct sockaddr *)&lo6, sizeof(lo6)) == 0
				 : connect(c, (struct sockaddr *)&lo4, sizeof(lo4)) == 0);
		len = sizeof(peer);
		memset(&peer, 0, sizeof(peer));
		int a = accept(l, (struct sockaddr *)&peer, &len);
		CHECK(a >= 0 && len == sizeof(peer) && peer.sin6_family == AF_INET6);
		inet_ntop(AF_INET6, &peer.sin6_addr, txt, sizeof(txt));
		CHECK(strcmp(txt, round == 0 ? "::1" : "::ffff:127.0.0.1") == 0);
		CHECK(write(c, "v6", 2) == 2 && read(a, buf, sizeof(buf)) == 2 && memcmp(buf, "v6", 2) == 0);
		close(a);
		close(c);
	}
	close(l);
	int s4 = socket(AF_INET, SOCK_DGRAM, 0);
	CHECK(setsockopt(s4, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one)) == -1 && errno == ENOPROTOOPT);
	close(s4);
	printf("sockself: ipv6 ok\n");
}

int main(void)
{
	test_tcp(5000);
	test_udp(5001);
	test_many_fds(5002);
	test_names();
	test_ipv6_loopback(5003);
	printf("sockself: ok\n");
	return 0;
}
