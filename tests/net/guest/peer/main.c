/* Instance-to-instance test app (tests/net/test_network.py), one image, roles by argv:
 *   mesh PORT          TCP and UDP echo on PORT; each stdin line "go NAME..." reaches every
 *                      NAME (by getaddrinfo) over TCP and UDP and prints "tcp NAME ok" /
 *                      "udp NAME ok" (or FAIL with the reason), then "round done".
 *   recv PORT [GROUP]  print "got MSG from ADDR" for each new datagram on PORT (joining GROUP
 *                      if given); stdin "drop" leaves GROUP ("dropped").
 *   send PORT ADDR [broadcast]  each stdin line is sent three times to ADDR:PORT (with
 *                      SO_BROADCAST when asked; "sent LINE", or "send failed: ERRNO-NAME").
 *   front PORT NAME    for each connection on PORT: read "KEY VALUE\n", SET it in the Redis
 *                      at NAME:6379, GET it back, answer the value and a newline.
 * Every role prints "ready" once it listens, and exits 0 at stdin's end. */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

static int port;

static void die(const char *what)
{
	printf("%s: %s\n", what, strerror(errno));
	exit(1);
}

static int listener(int type, int p)
{
	int s = socket(AF_INET, type, 0), one = 1;
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)p) };

	if (s < 0)
		die("socket");
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(s, (struct sockaddr *)&a, sizeof(a)) < 0)
		die("bind");
	if (type == SOCK_STREAM && listen(s, 16) < 0)
		die("listen");
	return s;
}

static void *tcp_echo(void *arg)
{
	int ls = *(int *)arg;
	char buf[512];

	for (;;) {
		int c = accept(ls, NULL, NULL);
		if (c < 0)
			continue;
		ssize_t n;
		while ((n = read(c, buf, sizeof(buf))) > 0)
			write(c, buf, (size_t)n);
		close(c);
	}
	return NULL;
}

static void *udp_echo(void *arg)
{
	int s = *(int *)arg;
	char buf[512];

	for (;;) {
		struct sockaddr_in from;
		socklen_t len = sizeof(from);
		ssize_t n = recvfrom(s, buf, sizeof(buf), 0, (struct sockaddr *)&from, &len);
		if (n > 0)
			sendto(s, buf, (size_t)n, 0, (struct sockaddr *)&from, len);
	}
	return NULL;
}

static int lookup(const char *name, int p, struct sockaddr_in *out)
{
	struct addrinfo hints = { .ai_family = AF_INET }, *res;
	int err = getaddrinfo(name, NULL, &hints, &res);

	if (err) {
		printf("resolve %s FAIL: %s\n", name, gai_strerror(err));
		return -1;
	}
	*out = *(struct sockaddr_in *)res->ai_addr;
	out->sin_port = htons((uint16_t)p);
	freeaddrinfo(res);
	struct hostent *he = gethostbyname(name); /* the same answer by the older call */
	if (!he || memcmp(he->h_addr_list[0], &out->sin_addr, 4) != 0) {
		printf("gethostbyname %s FAIL: %s\n", name, he ? "another address" : hstrerror(h_errno));
		return -1;
	}
	return 0;
}

static void try_tcp(const char *name, const struct sockaddr_in *a)
{
	char msg[128], back[128];
	int s = socket(AF_INET, SOCK_STREAM, 0);
	int n = snprintf(msg, sizeof(msg), "tcp hello to %s", name), got = 0;

	if (connect(s, (const struct sockaddr *)a, sizeof(*a)) < 0) {
		printf("tcp %s FAIL: connect: %s\n", name, strerror(errno));
		close(s);
		return;
	}
	write(s, msg, (size_t)n);
	while (got < n) {
		ssize_t r = read(s, back + got, (size_t)(n - got));
		if (r <= 0)
			break;
		got += (int)r;
	}
	close(s);
	if (got == n && memcmp(msg, back, (size_t)n) == 0)
		printf("tcp %s ok\n", name);
	else
		printf("tcp %s FAIL: echo %d of %d bytes\n", name, got, n);
}

static void try_udp(const char *name, const struct sockaddr_in *a)
{
	char msg[128], back[128];
	int s = socket(AF_INET, SOCK_DGRAM, 0);
	int n = snprintf(msg, sizeof(msg), "udp hello to %s", name);
	struct timeval tv = { .tv_sec = 1 };

	setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	for (int attempt = 0; attempt < 10; attempt++) { /* the first may wait for ARP */
		sendto(s, msg, (size_t)n, 0, (const struct sockaddr *)a, sizeof(*a));
		ssize_t r = recv(s, back, sizeof(back), 0);
		if (r == n && memcmp(msg, back, (size_t)n) == 0) {
			printf("udp %s ok\n", name);
			close(s);
			return;
		}
	}
	printf("udp %s FAIL: no echo\n", name);
	close(s);
}

static int mesh(void)
{
	static int ts, us;
	pthread_t t;
	char line[512];

	ts = listener(SOCK_STREAM, port);
	us = listener(SOCK_DGRAM, port);
	pthread_create(&t, NULL, tcp_echo, &ts);
	pthread_create(&t, NULL, udp_echo, &us);
	printf("ready\n");
	fflush(stdout);
	while (fgets(line, sizeof(line), stdin)) {
		char *save, *w = strtok_r(line, " \n", &save);
		if (!w || strcmp(w, "go") != 0)
			continue;
		while ((w = strtok_r(NULL, " \n", &save))) {
			struct sockaddr_in a;
			if (lookup(w, port, &a) == 0) {
				try_tcp(w, &a);
				try_udp(w, &a);
			}
		}
		printf("round done\n");
		fflush(stdout);
	}
	return 0;
}

static int recv_sock;
static struct ip_mreq mreq;

static void *recv_stdin(void *arg)
{
	char line[64];

	(void)arg;
	while (fgets(line, sizeof(line), stdin)) {
		if (strncmp(line, "drop", 4) == 0) {
			if (setsockopt(recv_sock, IPPROTO_IP, IP_DROP_MEMBERSHIP, &mreq, sizeof(mreq)) < 0)
				printf("drop failed: %s\n", strerror(errno));
			else
				printf("dropped\n");
			fflush(stdout);
		}
	}
	exit(0);
}

static int recv_role(const char *group)
{
	char buf[256], seen[16][64];
	int nseen = 0;
	pthread_t t;

	recv_sock = listener(SOCK_DGRAM, port);
	if (group) {
		mreq.imr_multiaddr.s_addr = inet_addr(group);
		mreq.imr_interface.s_addr = htonl(INADDR_ANY);
		if (setsockopt(recv_sock, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mreq, sizeof(mreq)) < 0)
			die("IP_ADD_MEMBERSHIP");
	}
	pthread_create(&t, NULL, recv_stdin, NULL);
	printf("ready\n");
	fflush(stdout);
	for (;;) {
		struct sockaddr_in from;
		socklen_t len = sizeof(from);
		ssize_t n = recvfrom(recv_sock, buf, sizeof(buf) - 1, 0, (struct sockaddr *)&from, &len);
		if (n <= 0)
			continue;
		buf[n] = 0;
		int dup = 0;
		for (int i = 0; i < nseen; i++)
			dup |= strcmp(seen[i], buf) == 0;
		if (dup || n >= 64)
			continue;
		if (nseen < 16)
			strcpy(seen[nseen++], buf);
		printf("got %s from %s\n", buf, inet_ntoa(from.sin_addr));
		fflush(stdout);
	}
}

static int send_role(const char *addr, int broadcast)
{
	int s = socket(AF_INET, SOCK_DGRAM, 0), one = 1;
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	char line[128];

	a.sin_addr.s_addr = inet_addr(addr);
	if (broadcast && setsockopt(s, SOL_SOCKET, SO_BROADCAST, &one, sizeof(one)) < 0)
		die("SO_BROADCAST");
	printf("ready\n");
	fflush(stdout);
	while (fgets(line, sizeof(line), stdin)) {
		line[strcspn(line, "\n")] = 0;
		int err = 0;
		for (int i = 0; i < 3 && !err; i++) {
			if (sendto(s, line, strlen(line), 0, (struct sockaddr *)&a, sizeof(a)) < 0)
				err = errno;
			usleep(100000);
		}
		if (err)
			printf("send failed: %s\n", err == EACCES ? "EACCES" : strerror(err));
		else
			printf("sent %s\n", line);
		fflush(stdout);
	}
	return 0;
}

/* A Redis reply line ("+OK", "$5", ...) into buf; -1 at a close. */
static int read_line(int s, char *buf, int max)
{
	int n = 0;
	char c;

	while (n < max - 1 && read(s, &c, 1) == 1) {
		if (c == '\n') {
			buf[n && buf[n - 1] == '\r' ? n - 1 : n] = 0;
			return 0;
		}
		buf[n++] = c;
	}
	return -1;
}

static void front_one(int c, const char *redis)
{
	char line[256], reply[256], cmd[600];
	struct sockaddr_in a;

	if (read_line(c, line, sizeof(line)) < 0)
		return;
	char *value = strchr(line, ' ');
	if (!value)
		return;
	*value++ = 0;
	if (lookup(redis, 6379, &a) < 0) {
		dprintf(c, "ERR cannot resolve %s\n", redis);
		return;
	}
	int r = socket(AF_INET, SOCK_STREAM, 0);
	if (connect(r, (struct sockaddr *)&a, sizeof(a)) < 0) {
		dprintf(c, "ERR connect %s: %s\n", redis, strerror(errno));
		close(r);
		return;
	}
	int n = snprintf(cmd, sizeof(cmd), "*3\r\n$3\r\nSET\r\n$%zu\r\n%s\r\n$%zu\r\n%s\r\n"
			 "*2\r\n$3\r\nGET\r\n$%zu\r\n%s\r\n", strlen(line), line, strlen(value),
			 value, strlen(line), line);
	write(r, cmd, (size_t)n);
	if (read_line(r, reply, sizeof(reply)) < 0 || strcmp(reply, "+OK") != 0 ||
	    read_line(r, reply, sizeof(reply)) < 0 || reply[0] != '$' ||
	    read_line(r, reply, sizeof(reply)) < 0)
		dprintf(c, "ERR bad reply from redis\n");
	else
		dprintf(c, "%s\n", reply);
	close(r);
}

static int front(const char *redis)
{
	int ls = listener(SOCK_STREAM, port);

	printf("ready\n");
	fflush(stdout);
	for (;;) {
		int c = accept(ls, NULL, NULL);
		if (c < 0)
			continue;
		front_one(c, redis);
		close(c);
	}
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: peer mesh|recv|send|front PORT ...\n");
		return 2;
	}
	port = atoi(argv[2]);
	if (strcmp(argv[1], "mesh") == 0)
		return mesh();
	if (strcmp(argv[1], "recv") == 0)
		return recv_role(argc > 3 ? argv[3] : NULL);
	if (strcmp(argv[1], "send") == 0 && argc > 3)
		return send_role(argv[3], argc > 4 && strcmp(argv[4], "broadcast") == 0);
	if (strcmp(argv[1], "front") == 0 && argc > 3)
		return front(argv[3]);
	fprintf(stderr, "peer: bad arguments\n");
	return 2;
}
