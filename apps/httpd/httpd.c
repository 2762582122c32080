/* httpd: serves files (the initrd at / by default) over HTTP/1.1 with keep-alive.
 * One thread, poll() over non-blocking sockets; each connection is a small state machine:
 * read a header block, answer it (file or error), skip any body, repeat or close.
 * Usage: httpd [-p PORT] [-r ROOT] [-s] (defaults: 80 and /; -s also answers GET /_stats with
 * the server's counters and the kernel's memory figures, see http_stats.h). */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "http_files.h"
#include "http_parse.h"
#include "http_stats.h"

#define MAX_CONNS 1024
#define OUT_SIZE 16384
#define IDLE_SECONDS 60

enum state { READING, SENDING, SKIPPING_BODY };

struct conn {
	int fd;
	enum state state;
	char *in;               /* received bytes not yet consumed */
	size_t in_len, in_cap;
	char out[OUT_SIZE];     /* response bytes to send: out[out_off..out_len) */
	size_t out_off, out_len;
	int file;               /* body source while SENDING, or -1 */
	off_t file_left;
	long skip_left;         /* request body bytes to discard */
	int close_after;        /* close once the response is out */
	time_t active;
};

static struct conn *conns[MAX_CONNS];
static int nconns;
static const char *root = "";
static int stats_page;            /* -s: answer GET /_stats */
static struct http_counters counters;

static time_t now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

static void conn_free(int i)
{
	struct conn *c = conns[i];

	close(c->fd);
	if (c->file >= 0)
		close(c->file);
	free(c->in);
	free(c);
	conns[i] = conns[--nconns];
}

/* Queue a response head (and for errors a short body). */
static void respond_head(struct conn *c, int status, const char *type, off_t length)
{
	counters.requests++;
	c->out_off = 0;
	c->out_len = (size_t)snprintf(c->out, sizeof(c->out),
		"HTTP/1.1 %d %s\r\nServer: skiff-httpd\r\nContent-Type: %s\r\n"
		"Content-Length: %lld\r\nConnection: %s\r\n\r\n",
		status, http_reason(status), type, (long long)length,
		c->close_after ? "close" : "keep-alive");
	c->state = SENDING;
}

static void respond_error(struct conn *c, int status, int head_only)
{
	char body[96];
	int n = snprintf(body, sizeof(body), "%d %s\n", status, http_reason(status));

	if (status >= 400 && status != 404 && status != 403 && status != 405)
		c->close_after = 1; /* the stream may be out of step: do not read on */
	respond_head(c, status, "text/plain; charset=utf-8", n);
	if (!head_only && c->out_len + (size_t)n <= sizeof(c->out)) {
		memcpy(c->out + c->out_len, body, (size_t)n);
		c->out_len += (size_t)n;
	}
}

/* GET /_stats: the counters and memory figures, generated now. */
static void respond_stats(struct conn *c, int head_only)
{
	char body[1024];

	counters.open = (unsigned long long)nconns;
	int n = http_stats(&counters, body, sizeof(body));
	if (n < 0) {
		respond_error(c, 500, head_only);
		return;
	}
	respond_head(c, 200, "text/plain; charset=utf-8", n);
	if (!head_only && c->out_len + (size_t)n <= sizeof(c->out)) {
		memcpy(c->out + c->out_len, body, (size_t)n);
		c->out_len += (size_t)n;
	}
}

/* A complete header block is at c->in[0..hlen): answer it. */
static void handle_request(struct conn *c, size_t hlen)
{
	struct http_req r;
	int status = http_parse(c->in, hlen, &r);

	memmove(c->in, c->in + hlen, c->in_len - hlen);
	c->in_len -= hlen;
	if (status) {
		respond_error(c, status, 0);
		return;
	}
	c->close_after = !r.keep_alive;
	c->skip_left = r.content_length;
	if (r.method == HTTP_OTHER) {
		respond_error(c, 405, 0);
		return;
	}
	if (stats_page && strcmp(r.path, "/_stats") == 0) {
		respond_stats(c, r.method == HTTP_HEAD);
		return;
	}
	off_t size;
	const char *type;
	int fd = http_open(root, r.path, &size, &type, &status);
	if (fd < 0) {
		respond_error(c, status, r.method == HTTP_HEAD);
		return;
	}
	respond_head(c, 200, type, size);
	if (r.method == HTTP_HEAD) {
		close(fd);
	} else {
		c->file = fd;
		c->file_left = size;
	}
}

/* Make progress on c; returns 0 when it should be closed. */
static int serve(struct conn *c)
{
	for (;;) {
		if (c->state == SENDING) {
			if (c->out_off == c->out_len && c->file >= 0 && c->file_left > 0) {
				ssize_t n = read(c->file, c->out, sizeof(c->out));
				if (n <= 0)
					return 0; /* the file shrank: the length we promised is a lie */
				c->out_off = 0;
				c->out_len = (size_t)n;
				c->file_left -= n;
			}
			while (c->out_off < c->out_len) {
				ssize_t n = send(c->fd, c->out + c->out_off, c->out_len - c->out_off, 0);
				if (n < 0)
					return errno == EAGAIN || errno == EWOULDBLOCK;
				c->out_off += (size_t)n;
				c->active = now();
			}
			if (c->file >= 0 && c->file_left > 0)
				continue;
			if (c->file >= 0) {
				close(c->file);
				c->file = -1;
			}
			if (c->close_after)
				return 0;
			c->state = c->skip_left ? SKIPPING_BODY : READING;
			continue;
		}
		if (c->state == SKIPPING_BODY) {
			size_t k = (size_t)c->skip_left < c->in_len ? (size_t)c->skip_left : c->in_len;
			memmove(c->in, c->in + k, c->in_len - k);
			c->in_len -= k;
			c->skip_left -= (long)k;
			if (!c->skip_left) {
				c->state = READING;
				continue;
			}
		} else {
			size_t hlen = http_header_end(c->in, c->in_len);
			if (hlen) {
				handle_request(c, hlen);
				continue;
			}
			int st = http_incomplete_status(c->in, c->in_len);
			if (st) {
				c->in_len = 0;
				respond_error(c, st, 0);
				continue;
			}
		}
		/* Need more input. */
		if (c->in_cap - c->in_len < 4096) {
			size_t cap = c->in_cap ? c->in_cap * 2 : 4096;
			if (cap > HTTP_HEADERS_MAX + 8192)
				cap = HTTP_HEADERS_MAX + 8192;
			char *p = cap > c->in_cap ? realloc(c->in, cap) : NULL;
			if (p) {
				c->in = p;
				c->in_cap = cap;
			}
			if (c->in_cap == c->in_len)
				return 0;
		}
		ssize_t n = recv(c->fd, c->in + c->in_len, c->in_cap - c->in_len, 0);
		if (n < 0)
			return errno == EAGAIN || errno == EWOULDBLOCK;
		if (n == 0)
			return 0;
		c->in_len += (size_t)n;
		c->active = now();
	}
}

static void accept_all(int lfd)
{
	for (;;) {
		int fd = accept(lfd, NULL, NULL);
		if (fd < 0)
			return;
		struct conn *c = nconns < MAX_CONNS ? calloc(1, sizeof(*c)) : NULL;
		if (!c || fcntl(fd, F_SETFL, O_NONBLOCK) < 0) {
			free(c);
			close(fd);
			continue;
		}
		int one = 1;
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		c->fd = fd;
		c->file = -1;
		c->active = now();
		conns[nconns++] = c;
		counters.accepted++;
	}
}

static int listen_on(int port)
{
	/* [::]:port with IPV6_V6ONLY off: IPv6 and IPv4 clients (as ::ffff:a.b.c.d). */
	/* A host kernel without IPv6 (the same source runs natively): IPv4 only. */
	struct sockaddr_in6 a = { .sin6_family = AF_INET6, .sin6_port = htons((uint16_t)port) };
	struct sockaddr_in a4 = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	int one = 1, zero = 0, fd = socket(AF_INET6, SOCK_STREAM, 0), v6 = fd >= 0;

	if (!v6 && errno == EAFNOSUPPORT)
		fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    (v6 && setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof(zero)) < 0) ||
	    (v6 ? bind(fd, (struct sockaddr *)&a, sizeof(a))
		: bind(fd, (struct sockaddr *)&a4, sizeof(a4))) < 0 || listen(fd, SOMAXCONN) < 0 ||
	    fcntl(fd, F_SETFL, O_NONBLOCK) < 0) {
		perror("httpd: listen");
		exit(1);
	}
	return fd;
}

int main(int argc, char **argv)
{
	static struct pollfd pfds[MAX_CONNS + 1];
	int port = 80, opt;

	while ((opt = getopt(argc, argv, "p:r:s")) != -1) {
		if (opt == 'p')
			port = atoi(optarg);
		else if (opt == 'r')
			root = strcmp(optarg, "/") ? optarg : "";
		else if (opt == 's')
			stats_page = 1;
		else {
			fprintf(stderr, "usage: httpd [-p PORT] [-r ROOT] [-s]\n");
			return 2;
		}
	}
	int lfd = listen_on(port);
	printf("httpd: serving %s on port %d\n", *root ? root : "/", port);
	fflush(stdout);
	for (;;) {
		pfds[0] = (struct pollfd){ .fd = lfd, .events = POLLIN };
		for (int i = 0; i < nconns; i++)
			pfds[i + 1] = (struct pollfd){
				.fd = conns[i]->fd,
				.events = conns[i]->state == SENDING ? POLLOUT : POLLIN,
			};
		int n = nconns;
		if (poll(pfds, (nfds_t)n + 1, 1000) < 0) {
			perror("httpd: poll");
			return 1;
		}
		time_t t = now();
		for (int i = n - 1; i >= 0; i--) {
			if (pfds[i + 1].revents & (POLLERR | POLLNVAL))
				conn_free(i);
			else if (pfds[i + 1].revents && !serve(conns[i]))
				conn_free(i);
			else if (!pfds[i + 1].revents && t - conns[i]->active > IDLE_SECONDS)
				conn_free(i);
		}
		if (pfds[0].revents)
			accept_all(lfd);
	}
}
