/* Boot test: epoll on pipes: level-triggered reports, data, MOD, DEL, ONESHOT, timeouts, EPOLLET refused, closed fds dropped. */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>

#define CHECK(cond) do { if (!(cond)) { printf("epoll FAIL line %d: %s (errno %d)\n", __LINE__, #cond, errno); return 1; } } while (0)

static int late_fd;

static void *late_writer(void *arg)
{
	(void)arg;
	usleep(30000);
	write(late_fd, "z", 1);
	return NULL;
}

static long ms_since(const struct timespec *t0)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000;
}

int main(void)
{
	int a[2], b[2], ep;
	struct epoll_event ev, out[8];
	struct timespec t0;
	char c;

	CHECK(pipe(a) == 0 && pipe(b) == 0);
	CHECK(epoll_create(0) == -1 && errno == EINVAL);
	CHECK((ep = epoll_create1(0)) >= 0);
	ev.events = EPOLLIN;
	ev.data.u64 = 0x1111222233334444ull;
	CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, a[0], &ev) == 0);
	CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, a[0], &ev) == -1 && errno == EEXIST);
	ev.data.fd = b[0];
	CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, b[0], &ev) == 0);
	CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, 999, &ev) == -1 && errno == EBADF);
	CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, ep, &ev) == -1 && errno == EINVAL);
	CHECK(epoll_ctl(a[0], EPOLL_CTL_ADD, b[0], &ev) == -1 && errno == EINVAL);

	/* Nothing ready: a 50 ms timeout passes, 0 events. */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	CHECK(epoll_wait(ep, out, 8, 50) == 0);
	CHECK(ms_since(&t0) >= 45);

	/* Level-triggered: reported again and again until the data is read. */
	CHECK(write(a[1], "x", 1) == 1);
	for (int i = 0; i < 3; i++) {
		CHECK(epoll_wait(ep, out, 8, 1000) == 1);
		CHECK(out[0].events == EPOLLIN && out[0].data.u64 == 0x1111222233334444ull);
	}
	CHECK(read(a[0], &c, 1) == 1);
	CHECK(epoll_wait(ep, out, 8, 0) == 0);

	/* Both ready; maxevents 1 takes turns. */
	CHECK(write(a[1], "x", 1) == 1 && write(b[1], "y", 1) == 1);
	CHECK(epoll_wait(ep, out, 8, 0) == 2);
	CHECK(epoll_wait(ep, out, 1, 0) == 1);
	uint64_t first = out[0].data.u64;
	CHECK(epoll_wait(ep, out, 1, 0) == 1 && out[0].data.u64 != first);
	CHECK(read(a[0], &c, 1) == 1 && read(b[0], &c, 1) == 1);

	/* A blocked epoll_wait wakes when another thread writes. */
	late_fd = b[1];
	pthread_t t;
	CHECK(pthread_create(&t, NULL, late_writer, NULL) == 0);
	CHECK(epoll_wait(ep, out, 8, 5000) == 1 && out[0].data.fd == b[0]);
	CHECK(pthread_join(t, NULL) == 0);
	CHECK(read(b[0], &c, 1) == 1 && c == 'z');

	/* MOD to EPOLLOUT on the write end; DEL; ENOENT. */
	ev.events = EPOLLOUT;
	ev.data.fd = a[1];
	CHECK(epoll_ctl(ep, EPOLL_CTL_MOD, a[1], &ev) == -1 && errno == ENOENT);
	CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, a[1], &ev) == 0);
	CHECK(epoll_wait(ep, out, 8, 0) == 1 && out[0].events == EPOLLOUT && out[0].data.fd == a[1]);
	CHECK(epoll_ctl(ep, EPOLL_CTL_DEL, a[1], NULL) == 0);
	CHECK(epoll_ctl(ep, EPOLL_CTL_DEL, a[1], NULL) == -1 && errno == ENOENT);
	CHECK(epoll_wait(ep, out, 8, 0) == 0);

	/* ONESHOT: one report, then silent until MOD re-arms it. */
	ev.events = EPOLLIN | EPOLLONESHOT;
	ev.data.fd = a[0];
	CHECK(epoll_ctl(ep, EPOLL_CTL_MOD, a[0], &ev) == 0);
	CHECK(write(a[1], "x", 1) == 1);
	CHECK(epoll_wait(ep, out, 8, 0) == 1);
	CHECK(epoll_wait(ep, out, 8, 0) == 0);
	CHECK(epoll_ctl(ep, EPOLL_CTL_MOD, a[0], &ev) == 0);
	CHECK(epoll_wait(ep, out, 8, 0) == 1 && out[0].data.fd == a[0]);
	CHECK(read(a[0], &c, 1) == 1);

	/* Edge-triggered is refused, not silently level-triggered. */
	ev.events = EPOLLIN | EPOLLET;
	CHECK(epoll_ctl(ep, EPOLL_CTL_MOD, b[0], &ev) == -1 && errno == EINVAL);

	/* Hang-up is reported without being asked for; a closed fd leaves the set. */
	ev.events = EPOLLIN;
	ev.data.fd = b[0];
	CHECK(epoll_ctl(ep, EPOLL_CTL_MOD, b[0], &ev) == 0);
	CHECK(close(b[1]) == 0);
	CHECK(epoll_wait(ep, out, 8, 0) == 1 && (out[0].events & EPOLLHUP) && out[0].data.fd == b[0]);
	CHECK(close(b[0]) == 0);
	CHECK(epoll_wait(ep, out, 8, 0) == 0);
	CHECK(epoll_wait(ep, out, 0, 0) == -1 && errno == EINVAL);

	/* An epoll fd is pollable: readable while an event is pending. */
	ev.events = EPOLLIN; /* a[0] is still disarmed by its ONESHOT */
	ev.data.fd = a[0];
	CHECK(epoll_ctl(ep, EPOLL_CTL_MOD, a[0], &ev) == 0);
	struct pollfd pf = { ep, POLLIN, 0 };
	CHECK(poll(&pf, 1, 0) == 0);
	CHECK(write(a[1], "x", 1) == 1);
	CHECK(poll(&pf, 1, 0) == 1 && pf.revents == POLLIN);
	CHECK(close(ep) == 0);
	CHECK(epoll_wait(ep, out, 8, 0) == -1 && errno == EBADF);

	printf("epoll ok\n");
	return 0;
}
