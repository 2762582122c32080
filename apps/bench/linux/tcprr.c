/* tcprr: TCP request/response round trips against an echo server, like netperf's TCP_RR; prints the latency distribution. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/*
 * Usage: tcprr HOST PORT SECONDS [SIZE]
 * One connection, TCP_NODELAY; each transaction sends SIZE bytes (default 1) and waits
 * for all of them to come back. Prints one line:
 *   tcprr: transactions=N per_s=R median_us=M p99_us=P mean_us=A
 */

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return (x > y) - (x < y);
}

static int round_trip(int fd, char *buf, size_t size)
{
	size_t got = 0;

	if (send(fd, buf, size, 0) != (ssize_t)size)
		return -1;
	while (got < size) {
		ssize_t n = recv(fd, buf + got, size - got, 0);
		if (n <= 0)
			return -1;
		got += (size_t)n;
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: tcprr HOST PORT SECONDS [SIZE]\n");
		return 2;
	}
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(atoi(argv[2])) };
	double seconds = atof(argv[3]);
	size_t size = argc > 4 ? (size_t)atoi(argv[4]) : 1;
	char *buf = calloc(1, size ? size : 1);
	size_t cap = 1 << 16, n = 0;
	long long *lat = malloc(cap * sizeof(*lat));
	int one = 1;

	if (inet_aton(argv[1], &to.sin_addr) == 0 || seconds <= 0 || size == 0 || !buf || !lat) {
		fprintf(stderr, "tcprr: bad arguments\n");
		return 2;
	}
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&to, sizeof(to)) < 0) {
		perror("tcprr: connect");
		return 1;
	}
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	long long start = now_ns(), end = start + (long long)(seconds * 1e9), t = start;
	while (t < end) {
		long long t0 = t;
		if (round_trip(fd, buf, size) < 0) {
			perror("tcprr: round trip");
			return 1;
		}
		t = now_ns();
		if (n == cap) {
			cap *= 2;
			lat = realloc(lat, cap * sizeof(*lat));
			if (!lat)
				return 1;
		}
		lat[n++] = t - t0;
	}
	close(fd);
	if (n == 0)
		return 1;
	long long total = 0;
	for (size_t i = 0; i < n; i++)
		total += lat[i];
	qsort(lat, n, sizeof(*lat), cmp_ll);
	printf("tcprr: transactions=%zu per_s=%.1f median_us=%.1f p99_us=%.1f mean_us=%.1f\n", n,
	       n / ((t - start) / 1e9), lat[n / 2] / 1e3, lat[n * 99 / 100] / 1e3,
	       total / 1e3 / n);
	return 0;
}
