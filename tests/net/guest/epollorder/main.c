/* Guest test: epoll_wait reports ready sockets in the order data arrived on them (as Linux's ready list does), not in interest-list order. Prints "epollorder: ok". */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#define N 4
#define CHECK(c) do { if (!(c)) { printf("epollorder: FAIL %s:%d: %s (errno %d)\n", \
	__FILE__, __LINE__, #c, errno); exit(1); } } while (0)

/* Wait for data to reach the server side before the next write (loopback delivery). */
static void settle(void)
{
	usleep(100000);
}

/* One epoll_wait with room for every socket; the fds in the order reported. */
static int wait_all(int ep, int *fds)
{
	struct epoll_event out[N + 1];
	int n = epoll_wait(ep, out, N + 1, 2000);

	CHECK(n >= 0);
	for (int i = 0; i < n; i++)
		fds[i] = out[i].data.fd;
	return n;
}

int main(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(7002) };
	struct epoll_event ev;
	int one = 1, cli[N], srv[N], got[N + 1];
	char buf[16];

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	int lfd = socket(AF_INET, SOCK_STREAM, 0);
	CHECK(lfd >= 0 && setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) == 0);
	CHECK(bind(lfd, (struct sockaddr *)&a, sizeof(a)) == 0 && listen(lfd, N) == 0);
	int ep = epoll_create1(0);
	CHECK(ep >= 0);
	for (int i = 0; i < N; i++) {
		cli[i] = socket(AF_INET, SOCK_STREAM, 0);
		CHECK(cli[i] >= 0 && connect(cli[i], (struct sockaddr *)&a, sizeof(a)) == 0);
		srv[i] = accept(lfd, NULL, NULL);
		CHECK(srv[i] >= 0);
		ev.events = EPOLLIN;
		ev.data.fd = srv[i];
		CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, srv[i], &ev) == 0);
	}

	/* Data arrives on the sockets in reverse order of the interest list. */
	for (int i = N - 1; i >= 0; i--) {
		CHECK(write(cli[i], "x", 1) == 1);
		settle();
	}
	CHECK(wait_all(ep, got) == N);
	for (int i = 0; i < N; i++) {
		if (got[i] != srv[N - 1 - i]) {
			printf("epollorder: FAIL report %d is fd %d, want fd %d (data arrived on it %s)\n",
			       i, got[i], srv[N - 1 - i], i == 0 ? "first" : "later");
			return 1;
		}
	}

	/* Level-triggered: each reported socket goes back to the tail of the ready
	 * list (srv[3], srv[2], srv[1], srv[0]) and keeps its place while it stays
	 * ready; emptied ones leave it, and come back behind the others when data arrives. */
	CHECK(read(srv[1], buf, sizeof(buf)) == 1);
	CHECK(read(srv[2], buf, sizeof(buf)) == 1);
	CHECK(read(srv[3], buf, sizeof(buf)) == 1);
	CHECK(write(cli[2], "y", 1) == 1);
	settle();
	CHECK(wait_all(ep, got) == 2);
	CHECK(got[0] == srv[2] && got[1] == srv[0]);
	CHECK(write(cli[3], "z", 1) == 1);
	settle();
	CHECK(wait_all(ep, got) == 3);
	CHECK(got[0] == srv[2] && got[1] == srv[0] && got[2] == srv[3]);

	for (int i = 0; i < N; i++)
		CHECK(close(cli[i]) == 0 && close(srv[i]) == 0);
	CHECK(close(lfd) == 0 && close(ep) == 0);
	printf("epollorder: ok\n");
	return 0;
}
