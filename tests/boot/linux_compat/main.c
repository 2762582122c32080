/* Boot test: the Linux headers and calls sources reach under __linux__: sendfile (file to file, pipe and TCP socket), accept4 flags, eventfd (poll, epoll, semaphore mode), endian.h, byteswap.h, malloc_usable_size, sysinfo's header, __linux__ itself. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <byteswap.h>
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/sysinfo.h>
#include <unistd.h>

#define CHECK(cond) do { if (!(cond)) { printf("linux_compat FAIL line %d: %s (errno %d)\n", __LINE__, #cond, errno); return 1; } } while (0)

#define BIG 100000

static char pattern[BIG];

static int check_sendfile_files(void)
{
	for (int i = 0; i < BIG; i++)
		pattern[i] = (char)(i * 7 + i / 251);
	int in = open("/tmp/src", O_RDWR | O_CREAT, 0600);
	CHECK(in >= 0 && write(in, pattern, BIG) == BIG);
	int out = open("/tmp/dst", O_RDWR | O_CREAT, 0600);
	CHECK(out >= 0);
	/* with an offset: the input's position stays, *offset moves */
	off_t off = 1000;
	CHECK(lseek(in, 5, SEEK_SET) == 5);
	CHECK(sendfile(out, in, &off, 50000) == 50000 && off == 51000);
	CHECK(lseek(in, 0, SEEK_CUR) == 5);
	/* without: from the position, to the end of the input */
	CHECK(lseek(in, 51000, SEEK_SET) == 51000);
	CHECK(sendfile(out, in, NULL, 1 << 20) == BIG - 51000);
	CHECK(lseek(in, 0, SEEK_CUR) == BIG && sendfile(out, in, NULL, 10) == 0);
	static char back[BIG];
	CHECK(pread(out, back, BIG, 0) == BIG - 1000 && memcmp(back, pattern + 1000, BIG - 1000) == 0);
	/* into a pipe */
	int p[2];
	CHECK(pipe(p) == 0);
	off = 0;
	CHECK(sendfile(p[1], in, &off, 4000) == 4000 && read(p[0], back, sizeof(back)) == 4000);
	CHECK(memcmp(back, pattern, 4000) == 0);
	CHECK(sendfile(out, 999, NULL, 10) == -1 && errno == EBADF);
	close(p[0]);
	close(p[1]);
	close(out);
	close(in);
	return 0;
}

static int server_fd;

static void *reader(void *arg)
{
	static char got[BIG];
	size_t n = 0;
	ssize_t r;
	int fd = *(int *)arg;
	while (n < BIG && (r = read(fd, got + n, BIG - n)) > 0)
		n += (size_t)r;
	return (void *)(n == BIG && memcmp(got, pattern, BIG) == 0 ? "ok" : "bad");
}

static int check_sockets(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(4711) };
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	server_fd = socket(AF_INET, SOCK_STREAM, 0);
	CHECK(server_fd >= 0 && bind(server_fd, (struct sockaddr *)&a, sizeof(a)) == 0 && listen(server_fd, 1) == 0);
	int c = socket(AF_INET, SOCK_STREAM, 0);
	CHECK(c >= 0 && connect(c, (struct sockaddr *)&a, sizeof(a)) == 0);
	int s = accept4(server_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	CHECK(s >= 0 && (fcntl(s, F_GETFL) & O_NONBLOCK)); /* CLOEXEC: no exec, F_GETFD says 0 */
	CHECK(fcntl(s, F_SETFL, 0) == 0); /* blocking again for sendfile */
	CHECK(accept4(server_fd, NULL, NULL, 0x12345678) == -1 && errno == EINVAL);
	pthread_t t;
	void *verdict;
	CHECK(pthread_create(&t, NULL, reader, &c) == 0);
	int in = open("/tmp/src", O_RDONLY);
	off_t off = 0;
	size_t sent = 0;
	while (sent < BIG) {
		ssize_t n = sendfile(s, in, &off, BIG - sent);
		CHECK(n > 0);
		sent += (size_t)n;
	}
	CHECK(off == BIG);
	close(s);
	pthread_join(t, &verdict);
	CHECK(strcmp(verdict, "ok") == 0);
	close(in);
	close(c);
	close(server_fd);
	return 0;
}

static int check_eventfd(void)
{
	int e = eventfd(0, EFD_NONBLOCK);
	uint64_t v;
	CHECK(e >= 0 && read(e, &v, 8) == -1 && errno == EAGAIN);
	struct pollfd pf = { e, POLLIN, 0 };
	CHECK(poll(&pf, 1, 0) == 0);
	v = 3;
	CHECK(write(e, &v, 8) == 8 && eventfd_write(e, 4) == 0);
	CHECK(poll(&pf, 1, 0) == 1 && (pf.revents & POLLIN));
	int ep = epoll_create1(0);
	struct epoll_event ev = { .events = EPOLLIN, .data.u32 = 77 }, got;
	CHECK(ep >= 0 && epoll_ctl(ep, EPOLL_CTL_ADD, e, &ev) == 0);
	CHECK(epoll_wait(ep, &got, 1, 0) == 1 && got.data.u32 == 77 && (got.events & EPOLLIN));
	CHECK(read(e, &v, 8) == 8 && v == 7); /* the whole count */
	CHECK(epoll_wait(ep, &got, 1, 0) == 0 && poll(&pf, 1, 0) == 0);
	CHECK(read(e, &v, 4) == -1 && errno == EINVAL);
	v = UINT64_MAX;
	CHECK(write(e, &v, 8) == -1 && errno == EINVAL);
	close(ep);
	close(e);
	/* semaphore mode: one at a time */
	e = eventfd(2, EFD_SEMAPHORE | EFD_NONBLOCK);
	eventfd_t x;
	CHECK(eventfd_read(e, &x) == 0 && x == 1 && eventfd_read(e, &x) == 0 && x == 1);
	CHECK(eventfd_read(e, &x) == -1 && errno == EAGAIN);
	close(e);
	CHECK(eventfd(0, 0x40000000) == -1 && errno == EINVAL);
	return 0;
}

static int check_headers(void)
{
#ifndef __linux__
	CHECK(!"__linux__ is defined for apps");
#endif
#ifndef __skiff__
	CHECK(!"__skiff__ is defined for apps");
#endif
	CHECK(__BYTE_ORDER == __LITTLE_ENDIAN && BYTE_ORDER == LITTLE_ENDIAN);
	CHECK(htobe32(0x11223344u) == 0x44332211u && le16toh(0x1234) == 0x1234 && be64toh(htobe64(42)) == 42);
	CHECK(bswap_16(0xabcd) == 0xcdab && bswap_32(0x01020304u) == 0x04030201u);
	CHECK(bswap_64(0x0102030405060708ull) == 0x0807060504030201ull);
	char *p = malloc(100);
	CHECK(p && malloc_usable_size(p) >= 100);
	free(p);
	struct sysinfo si;
	CHECK(sysinfo(&si) == 0 && get_nprocs() == 1);
	return 0;
}

int main(void)
{
	if (check_sendfile_files() || check_sockets() || check_eventfd() || check_headers())
		return 1;
	printf("linux_compat ok\n");
	return 0;
}
