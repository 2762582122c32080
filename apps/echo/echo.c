/* TCP and UDP echo server (port 7, or argv[1]) on IPv6 and IPv4 (one dual-stack socket each): one thread, poll(). */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_CONNS 1000
#define BUF_SIZE 16384

struct conn {
	int fd;
	size_t len, off; /* buf[off..len) still to send back */
	char buf[BUF_SIZE];
};

static struct conn *conns[MAX_CONNS];
static int nconns;
static struct pollfd pfds[MAX_CONNS + 2];

static int nonblocking(int fd)
{
	return fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
}

static int open_socket(int type, int port)
{
	/* [::]:port with IPV6_V6ONLY off: IPv4 clients arrive as ::ffff:a.b.c.d. */
	/* A host kernel without IPv6 (the same source runs natively): IPv4 only. */
	struct sockaddr_in6 a = { .sin6_family = AF_INET6, .sin6_port = htons((uint16_t)port) };
	struct sockaddr_in a4 = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	int one = 1, zero = 0, fd = socket(AF_INET6, type, 0), v6 = fd >= 0;

	if (!v6 && errno == EAFNOSUPPORT)
		fd = socket(AF_INET, type, 0);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    (v6 && setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof(zero)) < 0) ||
	    (v6 ? bind(fd, (struct sockaddr *)&a, sizeof(a))
		: bind(fd, (struct sockaddr *)&a4, sizeof(a4))) < 0 ||
	    (type == SOCK_STREAM && listen(fd, SOMAXCONN) < 0) || nonblocking(fd) < 0) {
		perror(type == SOCK_STREAM ? "echo: tcp" : "echo: udp");
		exit(1);
	}
	return fd;
}

static void drop(int i)
{
	close(conns[i]->fd);
	free(conns[i]);
	conns[i] = conns[--nconns];
}

static void accept_all(int lfd)
{
	for (;;) {
		int fd = accept(lfd, NULL, NULL);
		if (fd < 0) {
			if (errno != EAGAIN && errno != EWOULDBLOCK && errno != ECONNABORTED)
				perror("echo: accept");
			return;
		}
		struct conn *c = nconns < MAX_CONNS ? malloc(sizeof(*c)) : NULL;
		if (!c || nonblocking(fd) < 0) {
			free(c);
			close(fd);
			continue;
		}
		int one = 1;
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		c->fd = fd;
		c->len = c->off = 0;
		conns[nconns++] = c;
	}
}

/* Send what is pending; then read more. Returns 0 to drop the connection. */
static int serve(struct conn *c, short revents)
{
	if (revents & (POLLERR | POLLNVAL))
		return 0;
	for (;;) {
		while (c->off < c->len) {
			ssize_t n = send(c->fd, c->buf + c->off, c->len - c->off, 0);
			if (n < 0)
				return errno == EAGAIN || errno == EWOULDBLOCK;
			c->off += (size_t)n;
		}
		ssize_t n = recv(c->fd, c->buf, sizeof(c->buf), 0);
		if (n <= 0)
			return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
		c->len = (size_t)n;
		c->off = 0;
	}
}

static void udp_echo(int fd)
{
	static char buf[65536];
	struct sockaddr_in6 from;

	for (;;) {
		socklen_t len = sizeof(from);
		ssize_t n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from, &len);
		if (n < 0)
			return;
		sendto(fd, buf, (size_t)n, 0, (struct sockaddr *)&from, len);
	}
}

int main(int argc, char **argv)
{
	int port = argc > 1 ? atoi(argv[1]) : 7;
	int tfd = open_socket(SOCK_STREAM, port), ufd = open_socket(SOCK_DGRAM, port);

	printf("echo: listening on tcp and udp port %d\n", port);
	fflush(stdout);
	for (;;) {
		pfds[0] = (struct pollfd){ .fd = tfd, .events = POLLIN };
		pfds[1] = (struct pollfd){ .fd = ufd, .events = POLLIN };
		for (int i = 0; i < nconns; i++)
			pfds[i + 2] = (struct pollfd){
				.fd = conns[i]->fd,
				.events = conns[i]->off < conns[i]->len ? POLLOUT : POLLIN,
			};
		int n = nconns;
		if (poll(pfds, (nfds_t)n + 2, -1) < 0) {
			perror("echo: poll");
			return 1;
		}
		for (int i = n - 1; i >= 0; i--)
			if (pfds[i + 2].revents && !serve(conns[i], pfds[i + 2].revents))
				drop(i);
		if (pfds[1].revents)
			udp_echo(ufd);
		if (pfds[0].revents)
			accept_all(tfd);
	}
}
