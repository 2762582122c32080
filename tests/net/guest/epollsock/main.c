/* Guest test of epoll over loopback TCP sockets and a pipe in one set: accept readiness,
 * data, EPOLLOUT, peer close, and a pipe written while epoll_wait blocks on sockets. Prints "epollsock: ok". */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define CHECK(c) do { if (!(c)) { printf("epollsock: FAIL %s:%d: %s (errno %d)\n", \
	__FILE__, __LINE__, #c, errno); exit(1); } } while (0)

static int pipe_w;

static void *late_pipe_writer(void *arg)
{
	(void)arg;
	usleep(50000);
	CHECK(write(pipe_w, "p", 1) == 1);
	return NULL;
}

static int wait_one(int ep, struct epoll_event *ev, int timeout)
{
	int n = epoll_wait(ep, ev, 1, timeout);
	CHECK(n >= 0);
	return n;
}

int main(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(7001) };
	struct epoll_event ev, out[4];
	int one = 1, p[2];
	char buf[64];

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	int lfd = socket(AF_INET, SOCK_STREAM, 0);
	CHECK(lfd >= 0 && setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) == 0);
	CHECK(bind(lfd, (struct sockaddr *)&a, sizeof(a)) == 0 && listen(lfd, 8) == 0);
	int ep = epoll_create1(EPOLL_CLOEXEC);
	CHECK(ep >= 0);
	ev.events = EPOLLIN;
	ev.data.fd = lfd;
	CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &ev) == 0);
	CHECK(wait_one(ep, out, 0) == 0);

	/* A pending connection makes the listening socket readable. */
	int c = socket(AF_INET, SOCK_STREAM, 0);
	CHECK(connect(c, (struct sockaddr *)&a, sizeof(a)) == 0);
	CHECK(wait_one(ep, out, 2000) == 1 && out[0].data.fd == lfd && (out[0].events & EPOLLIN));
	int s = accept(lfd, NULL, NULL);
	CHECK(s >= 0);
	CHECK(wait_one(ep, out, 0) == 0);

	/* Data on the accepted socket: EPOLLIN until read; EPOLLOUT on the client. */
	ev.events = EPOLLIN;
	ev.data.fd = s;
	CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, s, &ev) == 0);
	ev.events = EPOLLOUT;
	ev.data.fd = c;
	CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, c, &ev) == 0);
	CHECK(wait_one(ep, out, 1000) == 1 && out[0].data.fd == c && out[0].events == EPOLLOUT);
	ev.events = 0;
	CHECK(epoll_ctl(ep, EPOLL_CTL_MOD, c, &ev) == 0);
	CHECK(write(c, "ping", 4) == 4);
	CHECK(wait_one(ep, out, 2000) == 1 && out[0].data.fd == s && out[0].events == EPOLLIN);
	CHECK(wait_one(ep, out, 0) == 1); /* level-triggered: still there */
	CHECK(read(s, buf, sizeof(buf)) == 4 && memcmp(buf, "ping", 4) == 0);
	CHECK(wait_one(ep, out, 0) == 0);

	/* A pipe in the same set, written by a thread while epoll_wait blocks on sockets. */
	CHECK(pipe(p) == 0);
	pipe_w = p[1];
	ev.events = EPOLLIN;
	ev.data.fd = p[0];
	CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev) == 0);
	pthread_t t;
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	CHECK(pthread_create(&t, NULL, late_pipe_writer, NULL) == 0);
	CHECK(wait_one(ep, out, 10000) == 1 && out[0].data.fd == p[0]);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	long ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
	CHECK(ms < 5000); /* woken by the write, not by the 10 s timeout */
	CHECK(pthread_join(t, NULL) == 0);
	CHECK(read(p[0], buf, 1) == 1);

	/* The peer closes: readable, and read() says end of file. */
	CHECK(close(c) == 0);
	CHECK(wait_one(ep, out, 2000) == 1 && out[0].data.fd == s && (out[0].events & EPOLLIN));
	CHECK(read(s, buf, sizeof(buf)) == 0);
	CHECK(epoll_ctl(ep, EPOLL_CTL_DEL, s, NULL) == 0);
	CHECK(close(s) == 0 && close(lfd) == 0 && close(ep) == 0);
	printf("epollsock: ok\n");
	return 0;
}
