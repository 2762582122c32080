/* netsrv: the server of the bench's network rows (TCP_RR, TCP_CRR, TCP_STREAM both ways, UDP_RR) on one TCP and one UDP port. */
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

/*
 * Usage: netsrv [PORT]   (default 7; TCP and UDP on the same number)
 * UDP: every datagram is sent back to its sender (UDP_RR).
 * TCP: the first byte a client sends picks what the connection does:
 *   'r'  echo: everything, that byte included, comes back (TCP_RR)
 *   'c'  one byte ('c') back, then close (TCP_CRR: connect, request, response, close)
 *   's'  sink: everything is read and dropped; at the client's EOF the server sends
 *        "received N\n" (N bytes, the 's' included) and closes (TCP_STREAM client -> server)
 *   'o'  source: the server sends until the client closes (TCP_STREAM server -> client)
 * Anything else closes the connection. One thread, poll(), non-blocking sockets: the
 * same program in every variant (skiff, Linux VM, container, process).
 */

#define MAX_CONNS 256
#define BUF_SIZE 65536

enum mode { NEW, ECHO, SINK, SOURCE };

struct conn {
	int fd;
	enum mode mode;
	unsigned long long received;
	size_t len, off; /* ECHO: buf[off..len) still to send back */
};

static struct conn conns[MAX_CONNS];
static int nconns;
static struct pollfd pfds[MAX_CONNS + 2];
static char buf[BUF_SIZE], source_buf[BUF_SIZE];

static int nonblocking(int fd)
{
	return fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
}

static int open_socket(int type, int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	int one = 1, fd = socket(AF_INET, type, 0);

	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0 ||
	    (type == SOCK_STREAM && listen(fd, SOMAXCONN) < 0) || nonblocking(fd) < 0) {
		perror(type == SOCK_STREAM ? "netsrv: tcp" : "netsrv: udp");
		exit(1);
	}
	return fd;
}

static void drop(int i)
{
	close(conns[i].fd);
	conns[i] = conns[--nconns];
}

static void accept_all(int lfd)
{
	for (;;) {
		int fd = accept(lfd, NULL, NULL);
		if (fd < 0) {
			if (errno != EAGAIN && errno != EWOULDBLOCK && errno != ECONNABORTED)
				perror("netsrv: accept");
			return;
		}
		if (nconns == MAX_CONNS || nonblocking(fd) < 0) {
			fprintf(stderr, "netsrv: connection refused (%d open)\n", nconns);
			close(fd);
			continue;
		}
		int one = 1;
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		conns[nconns++] = (struct conn){ .fd = fd, .mode = NEW };
	}
}

static int would_block(void)
{
	return errno == EAGAIN || errno == EWOULDBLOCK;
}

/* Send buf[0..len) on a blocking-in-effect basis: the replies here are a few bytes. */
static int send_all(int fd, const char *p, size_t len)
{
	while (len) {
		ssize_t n = send(fd, p, len, 0);
		if (n < 0 && would_block()) {
			struct pollfd w = { .fd = fd, .events = POLLOUT };
			poll(&w, 1, 1000);
			continue;
		}
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* The first byte: returns 0 to drop the connection, 1 to keep it. */
static int choose(struct conn *c, char first, size_t len)
{
	switch (first) {
	case 'r':
		c->mode = ECHO;
		c->len = len;
		c->off = 0;
		return 1;
	case 'c':
		send_all(c->fd, "c", 1);
		return 0;
	case 's':
		c->mode = SINK;
		c->received = len;
		return 1;
	case 'o':
		c->mode = SOURCE;
		return 1;
	default:
		fprintf(stderr, "netsrv: unknown mode byte 0x%02x\n", (unsigned char)first);
		return 0;
	}
}

/* One connection's turn. Returns 0 to drop it. */
static int serve(struct conn *c, short revents)
{
	if (revents & (POLLERR | POLLNVAL))
		return 0;
	if (c->mode == SOURCE) {
		for (;;) {
			ssize_t n = send(c->fd, source_buf, sizeof(source_buf), 0);
			if (n < 0)
				return would_block();
			if (revents & POLLIN) { /* the client closed (or sent): stop */
				ssize_t r = recv(c->fd, buf, sizeof(buf), 0);
				if (r == 0 || (r < 0 && !would_block()))
					return 0;
				revents &= (short)~POLLIN;
			}
		}
	}
	for (;;) {
		if (c->mode == ECHO) {
			while (c->off < c->len) {
				ssize_t n = send(c->fd, buf + c->off, c->len - c->off, 0);
				if (n < 0)
					return would_block();
				c->off += (size_t)n;
			}
		}
		ssize_t n = recv(c->fd, buf, sizeof(buf), 0);
		if (n < 0)
			return would_block();
		if (n == 0) {
			if (c->mode == SINK) {
				char line[48];
				int k = snprintf(line, sizeof(line), "received %llu\n", c->received);
				send_all(c->fd, line, (size_t)k);
			}
			return 0;
		}
		if (c->mode == NEW) {
			if (!choose(c, buf[0], (size_t)n))
				return 0;
		} else if (c->mode == SINK) {
			c->received += (unsigned long long)n;
		} else {
			c->len = (size_t)n;
			c->off = 0;
		}
	}
}

static void udp_echo(int fd)
{
	struct sockaddr_in from;

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

	if (port <= 0 || port > 65535) {
		fprintf(stderr, "netsrv: bad port %s\n", argv[1]);
		return 2;
	}
	int tfd = open_socket(SOCK_STREAM, port), ufd = open_socket(SOCK_DGRAM, port);
	memset(source_buf, 'o', sizeof(source_buf));
	printf("netsrv: listening on tcp and udp port %d\n", port);
	fflush(stdout);
	for (;;) {
		pfds[0] = (struct pollfd){ .fd = tfd, .events = POLLIN };
		pfds[1] = (struct pollfd){ .fd = ufd, .events = POLLIN };
		for (int i = 0; i < nconns; i++) {
			struct conn *c = &conns[i];
			short ev = POLLIN;
			if (c->mode == SOURCE || (c->mode == ECHO && c->off < c->len))
				ev = c->mode == SOURCE ? POLLIN | POLLOUT : POLLOUT;
			pfds[i + 2] = (struct pollfd){ .fd = c->fd, .events = ev };
		}
		int n = nconns;
		if (poll(pfds, (nfds_t)n + 2, -1) < 0) {
			perror("netsrv: poll");
			return 1;
		}
		for (int i = n - 1; i >= 0; i--)
			if (pfds[i + 2].revents && !serve(&conns[i], pfds[i + 2].revents))
				drop(i);
		if (pfds[1].revents)
			udp_echo(ufd);
		if (pfds[0].revents)
			accept_all(tfd);
	}
}
