/* httpd: serves files (the initrd at / by default) over HTTP/1.1 with keep-alive.
 * One worker, or N worker threads with -w N, each a poll() loop over its own non-blocking
 * sockets that accepts from the one shared listening socket; each connection is a small state
 * machine: read a header block, answer it (file or error), skip any body, repeat or close.
 * A worker polls the listening socket only while no other worker has fewer connections open,
 * so connections spread over the workers. With one worker, main() is the worker.
 * Usage: httpd [-p PORT] [-r ROOT] [-s] [-w WORKERS] (defaults: 80, /, one worker: with the
 * kernel's big lock a second worker on a second CPU serves less, not more; -s also answers GET /_stats with the server's counters, in total and per worker, and
 * the kernel's memory figures, see http_stats.h). */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
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
#define MAX_WORKERS 16

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
	int worker;             /* the worker that owns it (counters[worker]) */
};

/* One worker thread: its connections, its poll set and its counters. */
struct worker {
	int id;
	struct conn *conns[MAX_CONNS];
	int nconns;
	struct pollfd pfds[MAX_CONNS + 1];
};

static const char *root = "";
static int stats_page;            /* -s: answer GET /_stats */
static int listen_fd;
static int nworkers;
static struct worker *workers[MAX_WORKERS];
static struct http_counters counters[MAX_WORKERS]; /* counters[i]: workers[i]'s */

static time_t now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

static void conn_free(struct worker *w, int i)
{
	struct conn *c = w->conns[i];

	close(c->fd);
	if (c->file >= 0)
		close(c->file);
	free(c->in);
	free(c);
	w->conns[i] = w->conns[--w->nconns];
	http_count_set(&counters[w->id].open, (unsigned long long)w->nconns);
}

/* Queue a response head (and for errors a short body). */
static void respond_head(struct conn *c, int status, const char *type, off_t length)
{
	http_count(&counters[c->worker].requests);
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
	char body[4096];
	int n = http_stats(counters, nworkers, body, sizeof(body));
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

/* Whether w should take new connections now: no other worker has fewer open. */
static int wants_more(const struct worker *w)
{
	for (int i = 0; i < nworkers; i++)
		if (__atomic_load_n(&counters[i].open, __ATOMIC_RELAXED) < (unsigned long long)w->nconns)
			return 0;
	return 1;
}

/* Accept while connections wait and no other worker has fewer open. */
static void accept_all(struct worker *w)
{
	while (wants_more(w)) {
		int fd = accept(listen_fd, NULL, NULL);
		if (fd < 0)
			return; /* EAGAIN: none left, or another worker took it */
		struct conn *c = w->nconns < MAX_CONNS ? calloc(1, sizeof(*c)) : NULL;
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
		c->worker = w->id;
		w->conns[w->nconns++] = c;
		http_count(&counters[w->id].accepted);
		http_count_set(&counters[w->id].open, (unsigned long long)w->nconns);
	}
}

/* A worker's loop: poll its connections (and the listening socket), serve, accept. */
static void *work(void *arg)
{
	struct worker *w = arg;
	struct pollfd *pfds = w->pfds;

	for (;;) {
		int listening = wants_more(w);
		pfds[0] = (struct pollfd){ .fd = listening ? listen_fd : -1, .events = POLLIN };
		for (int i = 0; i < w->nconns; i++)
			pfds[i + 1] = (struct pollfd){
				.fd = w->conns[i]->fd,
				.events = w->conns[i]->state == SENDING ? POLLOUT : POLLIN,
			};
		int n = w->nconns;
		if (poll(pfds, (nfds_t)n + 1, listening ? 1000 : 100) < 0) {
			perror("httpd: poll");
			exit(1);
		}
		time_t t = now();
		for (int i = n - 1; i >= 0; i--) {
			if (pfds[i + 1].revents & (POLLERR | POLLNVAL))
				conn_free(w, i);
			else if (pfds[i + 1].revents && !serve(w->conns[i]))
				conn_free(w, i);
			else if (!pfds[i + 1].revents && t - w->conns[i]->active > IDLE_SECONDS)
				conn_free(w, i);
		}
		if (pfds[0].revents)
			accept_all(w);
	}
	return NULL;
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

/* -w's argument: 1..MAX_WORKERS, or -1. */
static int parse_workers(const char *arg)
{
	char *end;
	long n = strtol(arg, &end, 10);

	return *arg && !*end && n >= 1 && n <= MAX_WORKERS ? (int)n : -1;
}

int main(int argc, char **argv)
{
	int port = 80, opt;

	while ((opt = getopt(argc, argv, "p:r:sw:")) != -1) {
		if (opt == 'p')
			port = atoi(optarg);
		else if (opt == 'r')
			root = strcmp(optarg, "/") ? optarg : "";
		else if (opt == 's')
			stats_page = 1;
		else if (opt == 'w' && (nworkers = parse_workers(optarg)) < 0) {
			fprintf(stderr, "httpd: -w wants a worker count from 1 to %d, not '%s'\n",
				MAX_WORKERS, optarg);
			return 2;
		} else if (opt != 'w') {
			fprintf(stderr, "usage: httpd [-p PORT] [-r ROOT] [-s] [-w WORKERS]\n");
			return 2;
		}
	}
	if (!nworkers)
		nworkers = 1;
	listen_fd = listen_on(port);
	for (int i = 0; i < nworkers; i++) {
		workers[i] = calloc(1, sizeof(*workers[i]));
		if (!workers[i]) {
			fprintf(stderr, "httpd: no memory for worker %d\n", i);
			return 1;
		}
		workers[i]->id = i;
	}
	printf("httpd: serving %s on port %d, %d worker%s\n", *root ? root : "/", port, nworkers,
	       nworkers == 1 ? "" : "s");
	fflush(stdout);
	for (int i = 1; i < nworkers; i++) {
		pthread_t t;
		int e = pthread_create(&t, NULL, work, workers[i]);
		if (e) {
			fprintf(stderr, "httpd: worker %d: %s\n", i, strerror(e));
			return 1;
		}
	}
	work(workers[0]);
	return 0;
}
