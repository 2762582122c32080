/* netcli: the client of the bench's network rows against apps/bench/netsrv.c; runs one mode for N seconds, prints one line. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/*
 * Usage: netcli MODE[,MODE...] HOST PORT SECONDS   (the modes in turn, SECONDS each)
 *   tcp_rr       one connection (TCP_NODELAY), 1-byte request, 1-byte response, repeated
 *   udp_rr       1-byte datagram, its echo, repeated (a reply lost for UDP_TIMEOUT_MS:
 *                counted in lost=, the next request goes out)
 *   tcp_crr      connect, 1-byte request, 1-byte response, the server's close, close
 *   tcp_send     TCP_STREAM client -> server: 64 KiB writes for SECONDS, then EOF; the
 *                rate counts the bytes the server reports received, up to its report
 *   tcp_recv     TCP_STREAM server -> client: reads for SECONDS
 * Prints: netcli: mode=M transactions=N seconds=S per_s=R mbit_s=B lost=L
 * (mbit_s: payload bits both ways per second). Exit 0 on success, 1 on a network error
 * (a one-line reason on stderr), 2 on bad arguments.
 */

#define STREAM_CHUNK 65536
#define UDP_TIMEOUT_MS 500

static struct sockaddr_in server;

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int fail(const char *what)
{
	fprintf(stderr, "netcli: %s: %s\n", what, strerror(errno));
	return -1;
}

static int tcp_connect(void)
{
	int one = 1, fd = socket(AF_INET, SOCK_STREAM, 0);

	if (fd < 0)
		return fail("socket");
	if (connect(fd, (struct sockaddr *)&server, sizeof(server)) < 0) {
		fail("connect");
		close(fd);
		return -1;
	}
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	return fd;
}

/* send 1 byte, wait for 1 byte back */
static int one_byte_exchange(int fd, char c)
{
	char got;
	ssize_t n;

	if (send(fd, &c, 1, 0) != 1)
		return fail("send");
	do
		n = recv(fd, &got, 1, 0);
	while (n < 0 && errno == EINTR);
	if (n != 1) {
		if (n == 0)
			errno = ECONNRESET;
		return fail("recv");
	}
	return 0;
}

static long long tcp_rr(double end)
{
	int fd = tcp_connect();
	long long n = 0;

	if (fd < 0)
		return -1;
	while (now_s() < end) {
		if (one_byte_exchange(fd, 'r') < 0) {
			close(fd);
			return -1;
		}
		n++;
	}
	close(fd);
	return n;
}

static long long tcp_crr(double end)
{
	long long n = 0;
	char rest;

	while (now_s() < end) {
		int fd = tcp_connect();
		if (fd < 0)
			return -1;
		if (one_byte_exchange(fd, 'c') < 0 || recv(fd, &rest, 1, 0) != 0) {
			fprintf(stderr, "netcli: tcp_crr: no close after the response\n");
			close(fd);
			return -1;
		}
		close(fd);
		n++;
	}
	return n;
}

static long long udp_rr(double end, long long *lost)
{
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	long long n = 0;
	unsigned char seq = 0;

	if (fd < 0 || connect(fd, (struct sockaddr *)&server, sizeof(server)) < 0)
		return fail("udp socket");
	while (now_s() < end) {
		unsigned char got;
		seq++;
		if (send(fd, &seq, 1, 0) != 1 && errno != ECONNREFUSED) {
			close(fd);
			return fail("udp send");
		}
		for (;;) {
			struct pollfd p = { .fd = fd, .events = POLLIN };
			int r = poll(&p, 1, UDP_TIMEOUT_MS);
			if (r == 0) {
				++*lost;
				break;
			}
			ssize_t k = recv(fd, &got, 1, 0);
			if (k == 1 && got == seq) {
				n++;
				break;
			}
			if (k < 0 && errno != ECONNREFUSED && errno != EINTR) {
				close(fd);
				return fail("udp recv");
			}
		}
	}
	close(fd);
	return n;
}

/* TCP_STREAM client -> server: returns bytes the server counted; *end_at: when it said so. */
static long long tcp_send(double end, double *end_at)
{
	static char chunk[STREAM_CHUNK];
	char line[64] = "";
	size_t have = 0;
	int fd = tcp_connect();

	if (fd < 0)
		return -1;
	memset(chunk, 's', sizeof(chunk));
	while (now_s() < end) {
		if (send(fd, chunk, sizeof(chunk), 0) < 0) {
			close(fd);
			return fail("send");
		}
	}
	shutdown(fd, SHUT_WR);
	for (;;) {
		ssize_t k = recv(fd, line + have, sizeof(line) - 1 - have, 0);
		if (k <= 0)
			break;
		have += (size_t)k;
	}
	*end_at = now_s();
	close(fd);
	line[have] = 0;
	unsigned long long count;
	if (sscanf(line, "received %llu", &count) != 1) {
		fprintf(stderr, "netcli: tcp_send: no byte count from the server\n");
		return -1;
	}
	return (long long)count;
}

/* TCP_STREAM server -> client: bytes read until end. */
static long long tcp_recv(double end)
{
	static char chunk[STREAM_CHUNK];
	long long total = 0;
	int fd = tcp_connect();

	if (fd < 0)
		return -1;
	if (send(fd, "o", 1, 0) != 1) {
		close(fd);
		return fail("send");
	}
	while (now_s() < end) {
		ssize_t k = recv(fd, chunk, sizeof(chunk), 0);
		if (k <= 0) {
			if (k == 0)
				errno = ECONNRESET;
			close(fd);
			return fail("recv");
		}
		total += k;
	}
	close(fd);
	return total;
}

/* One mode for seconds, its line printed: 0, or 1 (network error), 2 (unknown mode). */
static int run_mode(const char *mode, double seconds)
{
	double start = now_s(), end = start + seconds, end_at = 0;
	long long count, lost = 0, bytes;

	if (!strcmp(mode, "tcp_rr") || !strcmp(mode, "tcp_crr") || !strcmp(mode, "udp_rr")) {
		count = mode[4] == 'r' ? tcp_rr(end) : mode[4] == 'c' ? tcp_crr(end) :
					 udp_rr(end, &lost);
		bytes = 2 * count;
	} else if (!strcmp(mode, "tcp_send")) {
		count = bytes = tcp_send(end, &end_at);
	} else if (!strcmp(mode, "tcp_recv")) {
		count = bytes = tcp_recv(end);
	} else {
		fprintf(stderr, "netcli: unknown mode %s\n", mode);
		return 2;
	}
	if (count == 0)
		fprintf(stderr, "netcli: %s: nothing done in %g s\n", mode, seconds);
	if (count <= 0)
		return 1;
	double took = (end_at > 0 ? end_at : now_s()) - start;
	int stream = !strcmp(mode, "tcp_send") || !strcmp(mode, "tcp_recv");
	printf("netcli: mode=%s transactions=%lld seconds=%.3f per_s=%.1f mbit_s=%.3f lost=%lld\n",
	       mode, stream ? 0 : count, took, stream ? 0.0 : count / took,
	       bytes * 8 / took / 1e6, lost);
	fflush(stdout);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc != 5) {
		fprintf(stderr, "usage: netcli tcp_rr|udp_rr|tcp_crr|tcp_send|tcp_recv[,...] HOST "
				"PORT SECONDS\n");
		return 2;
	}
	int port = atoi(argv[3]);
	double seconds = atof(argv[4]);

	server.sin_family = AF_INET;
	server.sin_port = htons((uint16_t)port);
	if (inet_pton(AF_INET, argv[2], &server.sin_addr) != 1 || port <= 0 || port > 65535 ||
	    !(seconds > 0)) {
		fprintf(stderr, "netcli: bad HOST, PORT or SECONDS\n");
		return 2;
	}
	char *modes = strdup(argv[1]), *save = NULL;
	for (char *m = strtok_r(modes, ",", &save); m; m = strtok_r(NULL, ",", &save)) {
		int status = run_mode(m, seconds);
		if (status)
			return status;
	}
	return 0;
}
