/* Guest for test_smpaccept: two threads, one pinned to each CPU, accept() on ONE listening
 * socket at once, first blocking, then non-blocking behind poll(). Each connection sends one
 * byte ('x' work, 'q' quit) and gets back "w<thread>\n" or "q<thread>\n"; the host checks every
 * connection was accepted exactly once and compares its tally with the lines printed here. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#define CHECK(c) do { if (!(c)) { printf("smpaccept: FAIL %s:%d: %s (errno %d)\n", \
	__FILE__, __LINE__, #c, errno); exit(1); } } while (0)

static int ncpus, listener;

struct acceptor {
	int id;
	int nonblocking;
	int accepted;  /* 'x' connections served */
	int lost;      /* non-blocking: poll said ready, the other thread took it (EAGAIN) */
};

/* Take one connection; 0 when none was there (non-blocking only). */
static int take(struct acceptor *a)
{
	if (a->nonblocking) {
		struct pollfd p = { .fd = listener, .events = POLLIN };
		CHECK(poll(&p, 1, 1000) >= 0);
		if (!p.revents)
			return 0;
	}
	int c = accept(listener, NULL, NULL);
	if (c < 0 && a->nonblocking && (errno == EAGAIN || errno == EWOULDBLOCK)) {
		a->lost++;
		return 0;
	}
	CHECK(c >= 0);
	return c + 1;
}

static void *acceptor(void *arg)
{
	struct acceptor *a = arg;
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(a->id % ncpus, &set);
	CHECK(pthread_setaffinity_np(pthread_self(), sizeof(set), &set) == 0);
	for (;;) {
		int c = take(a) - 1;
		char cmd, reply[4] = { 'w', (char)('0' + a->id), '\n' };
		if (c < 0)
			continue;
		CHECK(fcntl(c, F_SETFL, 0) == 0);  /* blocking, whatever the listener is */
		CHECK(recv(c, &cmd, 1, MSG_WAITALL) == 1);
		if (cmd == 'q')
			reply[0] = 'q';
		else
			a->accepted++;
		CHECK(send(c, reply, 3, 0) == 3);
		close(c);
		if (cmd == 'q')
			return NULL;
	}
}

static void round_of(int nonblocking)
{
	struct acceptor a[2] = { { 0, nonblocking, 0, 0 }, { 1, nonblocking, 0, 0 } };
	pthread_t t[2];

	if (nonblocking)
		CHECK(fcntl(listener, F_SETFL, O_NONBLOCK) == 0);
	for (int i = 0; i < 2; i++)
		CHECK(pthread_create(&t[i], NULL, acceptor, &a[i]) == 0);
	printf("smpaccept: %s acceptors up\n", nonblocking ? "non-blocking" : "blocking");
	fflush(stdout);
	for (int i = 0; i < 2; i++)
		CHECK(pthread_join(t[i], NULL) == 0);
	printf("smpaccept: %s done, thread 0 accepted %d, thread 1 accepted %d, lost races %d\n",
	       nonblocking ? "non-blocking" : "blocking", a[0].accepted, a[1].accepted,
	       a[0].lost + a[1].lost);
	fflush(stdout);
}

int main(void)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(80) };
	int one = 1;

	ncpus = (int)sysconf(_SC_NPROCESSORS_ONLN);
	CHECK(ncpus >= 1);
	listener = socket(AF_INET, SOCK_STREAM, 0);
	CHECK(listener >= 0);
	CHECK(setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) == 0);
	CHECK(bind(listener, (struct sockaddr *)&sa, sizeof(sa)) == 0 && listen(listener, 64) == 0);
	printf("smpaccept: listening, %d cpus\n", ncpus);
	round_of(0);
	round_of(1);
	close(listener);
	printf("smpaccept: bye\n");
	return 0;
}
