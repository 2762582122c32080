/* Boot test: SIGALRM cuts short poll, select and epoll_wait in the main thread (-1/EINTR after the handler ran). */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <unistd.h>

static volatile sig_atomic_t fired;

static void on_alarm(int sig)
{
	(void)sig;
	fired++;
}

static const char *how(int r, int err)
{
	return r == -1 && err == EINTR ? "EINTR" : "not interrupted";
}

int main(void)
{
	struct sigaction sa = { .sa_handler = on_alarm };
	sigaction(SIGALRM, &sa, NULL);
	int p[2];
	if (pipe(p) != 0)
		return 1;

	struct pollfd pfd = { .fd = p[0], .events = POLLIN };
	alarm(1);
	int r = poll(&pfd, 1, -1);
	printf("poll on a pipe: %s, handler ran %d\n", how(r, errno), (int)fired);

	alarm(1);
	r = poll(NULL, 0, 10000);
	printf("poll on nothing: %s, handler ran %d\n", how(r, errno), (int)fired);

	fd_set rd;
	FD_ZERO(&rd);
	FD_SET(p[0], &rd);
	alarm(1);
	r = select(p[0] + 1, &rd, NULL, NULL, NULL);
	printf("select: %s, handler ran %d\n", how(r, errno), (int)fired);

	int ep = epoll_create1(0);
	struct epoll_event ev = { .events = EPOLLIN, .data.fd = p[0] }, out;
	epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev);
	alarm(1);
	r = epoll_wait(ep, &out, 1, -1);
	printf("epoll_wait: %s, handler ran %d\n", how(r, errno), (int)fired);

	/* A ready fd still answers at once. */
	write(p[1], "x", 1);
	r = poll(&pfd, 1, -1);
	printf("ready pipe: %d\n", r);
	return 0;
}
