/* Boot test: pipe()/pipe2(): bytes in order, O_NONBLOCK's EAGAIN, a blocked reader woken by a writer thread, EOF, EPIPE, poll. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CHECK(cond) do { if (!(cond)) { printf("pipe FAIL line %d: %s (errno %d)\n", __LINE__, #cond, errno); return 1; } } while (0)

static int wfd;

static void *late_writer(void *arg)
{
	(void)arg;
	usleep(20000);
	write(wfd, "late", 4);
	close(wfd); /* then EOF */
	return NULL;
}

int main(void)
{
	int p[2];
	static char buf[100000]; /* bigger than a thread stack */
	struct stat st;

	/* Bytes come out in order; fstat says FIFO. */
	CHECK(pipe(p) == 0);
	CHECK(p[0] >= 3 && p[1] > p[0]);
	CHECK(fstat(p[0], &st) == 0 && S_ISFIFO(st.st_mode));
	CHECK(write(p[1], "hello ", 6) == 6 && write(p[1], "world", 5) == 5);
	CHECK(read(p[0], buf, 3) == 3 && memcmp(buf, "hel", 3) == 0);
	CHECK(read(p[0], buf, sizeof(buf)) == 8 && memcmp(buf, "lo world", 8) == 0);

	/* poll: not readable when empty, writable; readable after a write. */
	struct pollfd pf[2] = { { p[0], POLLIN, 0 }, { p[1], POLLOUT, 0 } };
	CHECK(poll(pf, 2, 0) == 1 && pf[0].revents == 0 && pf[1].revents == POLLOUT);
	CHECK(write(p[1], "x", 1) == 1);
	CHECK(poll(pf, 1, 0) == 1 && pf[0].revents == POLLIN);
	CHECK(read(p[0], buf, 1) == 1);

	/* O_NONBLOCK via fcntl: an empty pipe says EAGAIN; a full one too. */
	CHECK(fcntl(p[0], F_SETFL, O_NONBLOCK) == 0);
	errno = 0;
	CHECK(read(p[0], buf, 1) == -1 && errno == EAGAIN);
	CHECK(fcntl(p[1], F_SETFL, O_NONBLOCK) == 0);
	ssize_t total = 0, n;
	memset(buf, 'a', sizeof(buf));
	while ((n = write(p[1], buf, sizeof(buf))) > 0)
		total += n;
	CHECK(n == -1 && errno == EAGAIN && total == 65536);
	CHECK(read(p[0], buf, sizeof(buf)) == 65536);

	/* A blocking reader waits for a writer thread, then sees EOF. */
	CHECK(fcntl(p[0], F_SETFL, 0) == 0);
	wfd = p[1];
	pthread_t t;
	CHECK(pthread_create(&t, NULL, late_writer, NULL) == 0);
	CHECK(read(p[0], buf, sizeof(buf)) == 4 && memcmp(buf, "late", 4) == 0);
	CHECK(read(p[0], buf, sizeof(buf)) == 0);
	pf[0].fd = p[0];
	CHECK(poll(pf, 1, 0) == 1 && (pf[0].revents & POLLHUP));
	CHECK(pthread_join(t, NULL) == 0);
	CHECK(close(p[0]) == 0);

	/* No reader: EPIPE once SIGPIPE is ignored. pipe2 flags. */
	CHECK(pipe2(p, O_NONBLOCK | O_CLOEXEC) == 0);
	CHECK(fcntl(p[0], F_GETFL) & O_NONBLOCK);
	CHECK(close(p[0]) == 0);
	signal(SIGPIPE, SIG_IGN);
	errno = 0;
	CHECK(write(p[1], "x", 1) == -1 && errno == EPIPE);
	CHECK(close(p[1]) == 0);
	CHECK(pipe2(p, 0x4000000) == -1 && errno == EINVAL);

	printf("pipe ok\n");
	return 0;
}
