/* Guest for test_smpsock: sockets used from threads on several CPUs at once: two senders on one
 * TCP socket (records), a sender and a receiver on one socket, one connection per CPU, two
 * receivers on one socket (TCP and UDP), and two UDP senders beside a receiver. The host side (tests/net/test_smpsock.py) checks every byte. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#define TCP_PORT 80
#define UDP_PORT 7
#define RECORDS 400          /* per sender thread */
#define RECORD_MAX 4000      /* payload bytes; header 8 */
#define DUPLEX_BYTES (1 << 20)
#define UDP_DGRAMS 300       /* per sender thread */

#define CHECK(c) do { if (!(c)) { printf("smpsock: FAIL %s:%d: %s (errno %d)\n", \
	__FILE__, __LINE__, #c, errno); exit(1); } } while (0)

static int ncpus;

/* Payload byte i of record seq from thread tid: the host computes the same. */
static unsigned char pattern(int tid, int seq, int i)
{
	return (unsigned char)(tid * 131 + seq * 7 + i);
}

static int record_len(int seq)
{
	return 1 + (seq * 997) % RECORD_MAX;
}

/* [magic, tid, len (big-endian 16), seq (little-endian 32)] then len pattern bytes. */
static void fill_record(unsigned char *buf, unsigned char magic, int tid, int seq, int len)
{
	buf[0] = magic;
	buf[1] = (unsigned char)tid;
	buf[2] = (unsigned char)(len >> 8);
	buf[3] = (unsigned char)len;
	memcpy(buf + 4, &seq, 4);
	for (int i = 0; i < len; i++)
		buf[8 + i] = pattern(tid, seq, i);
}

static void pin(int cpu)
{
	cpu_set_t set;
	CPU_ZERO(&set);
	CPU_SET(cpu % ncpus, &set);
	CHECK(pthread_setaffinity_np(pthread_self(), sizeof(set), &set) == 0);
}

/* Loop until all n bytes are sent: one call per record unless lwIP takes part. */
static void send_all(int fd, const unsigned char *p, size_t n)
{
	while (n) {
		ssize_t r = send(fd, p, n, 0);
		CHECK(r > 0);
		p += r;
		n -= (size_t)r;
	}
}

struct job {
	int fd, tid, cpu_seen;
	struct sockaddr_in to;   /* UDP */
	long count;
};

/* Two threads, one TCP socket: each sends RECORDS records, each in ONE call: send, or
 * (odd records) writev of header and payload as two pieces. */
static void *record_sender(void *arg)
{
	struct job *j = arg;
	static __thread unsigned char buf[8 + RECORD_MAX];
	pin(j->tid);
	for (int seq = 0; seq < RECORDS; seq++) {
		int len = record_len(seq);
		fill_record(buf, 0xa5, j->tid, seq, len);
		struct iovec v[2] = { { buf, 8 }, { buf + 8, (size_t)len } };
		ssize_t r = seq & 1 ? writev(j->fd, v, 2) : send(j->fd, buf, (size_t)(8 + len), 0);
		CHECK(r == 8 + len);   /* a blocking send takes all of it */
		j->cpu_seen |= 1 << sched_getcpu();
	}
	return NULL;
}

static void run_pair(void *(*fn)(void *), struct job *jobs)
{
	pthread_t t[2];
	for (int i = 0; i < 2; i++)
		CHECK(pthread_create(&t[i], NULL, fn, &jobs[i]) == 0);
	for (int i = 0; i < 2; i++)
		CHECK(pthread_join(t[i], NULL) == 0);
}

static void drain_and_close(int c)
{
	char buf[256];
	CHECK(shutdown(c, SHUT_WR) == 0);
	while (read(c, buf, sizeof(buf)) > 0)
		;
	close(c);
}

static void two_senders(int c)
{
	struct job jobs[2] = { { .fd = c, .tid = 0 }, { .fd = c, .tid = 1 } };
	run_pair(record_sender, jobs);
	printf("smpsock: senders done, cpus %x and %x\n", jobs[0].cpu_seen, jobs[1].cpu_seen);
	drain_and_close(c);
}

/* One thread receives DUPLEX_BYTES while the other sends as many, on one socket. */
static void *duplex_worker(void *arg)
{
	struct job *j = arg;
	static unsigned char rx[8192], tx[8192];
	pin(j->tid);
	for (long done = 0; done < DUPLEX_BYTES;) {
		if (j->tid == 0) {
			ssize_t r = recv(j->fd, rx, sizeof(rx), 0);
			CHECK(r > 0);
			for (ssize_t i = 0; i < r; i++)
				if (rx[i] != (unsigned char)((done + i) * 13 + 5)) {
					printf("smpsock: FAIL duplex byte %ld is %u\n", done + i, rx[i]);
					exit(1);
				}
			done += r;
		} else {
			size_t n = sizeof(tx);
			if ((long)n > DUPLEX_BYTES - done)
				n = (size_t)(DUPLEX_BYTES - done);
			for (size_t i = 0; i < n; i++)
				tx[i] = (unsigned char)((done + (long)i) * 29 + 1);
			send_all(j->fd, tx, n);
			done += (long)n;
		}
		j->cpu_seen |= 1 << sched_getcpu();
	}
	return NULL;
}

static void duplex(int c)
{
	struct job jobs[2] = { { .fd = c, .tid = 0 }, { .fd = c, .tid = 1 } };
	run_pair(duplex_worker, jobs);
	printf("smpsock: duplex ok, receiver cpus %x, sender cpus %x\n", jobs[0].cpu_seen,
	       jobs[1].cpu_seen);
	drain_and_close(c);
}

/* Two threads, one on each CPU, receive from ONE socket at once. TCP: the host's
 * TWO_RX_BYTES until EOF, summed (which thread gets which bytes is up to the race; the
 * total and the sum are not). */
#define TWO_RX_BYTES (2 << 20)
#define TWO_RX_DGRAMS 2000
static long two_rx_left; /* UDP datagrams sent but not yet received (atomic) */
static char two_rx_seen[TWO_RX_DGRAMS];

static void *stream_receiver(void *arg)
{
	struct job *j = arg;
	static __thread unsigned char buf[3000];
	ssize_t n;
	pin(j->tid);
	while ((n = recv(j->fd, buf, 1 + (size_t)(j->count % (long)sizeof(buf)), 0)) > 0) {
		for (ssize_t i = 0; i < n; i++)
			j->to.sin_addr.s_addr += buf[i]; /* the sum, in the spare field */
		j->count += n;
		j->cpu_seen |= 1 << sched_getcpu();
	}
	CHECK(n == 0);
	return NULL;
}

/* UDP over 127.0.0.1: numbered datagrams until 'F'; each must come once, intact. */
static void *dgram_receiver(void *arg)
{
	struct job *j = arg;
	unsigned char buf[600];
	pin(j->tid);
	for (;;) {
		ssize_t n = recv(j->fd, buf, sizeof(buf), 0);
		CHECK(n > 0);
		if (buf[0] == 'F')
			return NULL;
		int seq;
		memcpy(&seq, buf + 1, 4);
		CHECK(n == 5 + seq % 500 && seq >= 0 && seq < TWO_RX_DGRAMS);
		for (ssize_t i = 5; i < n; i++)
			CHECK(buf[i] == (unsigned char)(seq + i));
		CHECK(__atomic_exchange_n(&two_rx_seen[seq], 1, __ATOMIC_RELAXED) == 0);
		__atomic_sub_fetch(&two_rx_left, 1, __ATOMIC_RELAXED);
		j->count++;
		j->cpu_seen |= 1 << sched_getcpu();
	}
}

static void two_receivers(int c)
{
	struct job jobs[2] = { { .fd = c, .tid = 0 }, { .fd = c, .tid = 1 } };
	run_pair(stream_receiver, jobs);
	unsigned long sum = jobs[0].to.sin_addr.s_addr + jobs[1].to.sin_addr.s_addr;
	char reply[64];
	int len = snprintf(reply, sizeof(reply), "%ld %lu\n", jobs[0].count + jobs[1].count, sum);
	send_all(c, (unsigned char *)reply, (size_t)len);
	printf("smpsock: two tcp receivers got %ld + %ld bytes\n", jobs[0].count, jobs[1].count);
	close(c);

	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(7007) };
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	int rx = socket(AF_INET, SOCK_DGRAM, 0), tx = socket(AF_INET, SOCK_DGRAM, 0);
	CHECK(rx >= 0 && tx >= 0 && bind(rx, (struct sockaddr *)&a, sizeof(a)) == 0);
	CHECK(connect(tx, (struct sockaddr *)&a, sizeof(a)) == 0);
	struct job dj[2] = { { .fd = rx, .tid = 0 }, { .fd = rx, .tid = 1 } };
	pthread_t t[2];
	for (int i = 0; i < 2; i++)
		CHECK(pthread_create(&t[i], NULL, dgram_receiver, &dj[i]) == 0);
	unsigned char buf[600];
	for (int seq = 0; seq < TWO_RX_DGRAMS; seq++) {
		while (__atomic_load_n(&two_rx_left, __ATOMIC_RELAXED) >= 32)
			usleep(200); /* the receive queue holds more: nothing is dropped */
		int n = 5 + seq % 500;
		buf[0] = 'd';
		memcpy(buf + 1, &seq, 4);
		for (int i = 5; i < n; i++)
			buf[i] = (unsigned char)(seq + i);
		__atomic_add_fetch(&two_rx_left, 1, __ATOMIC_RELAXED);
		CHECK(send(tx, buf, (size_t)n, 0) == n);
	}
	while (__atomic_load_n(&two_rx_left, __ATOMIC_RELAXED) > 0)
		usleep(1000);
	CHECK(send(tx, "F", 1, 0) == 1 && send(tx, "F", 1, 0) == 1);
	for (int i = 0; i < 2; i++)
		CHECK(pthread_join(t[i], NULL) == 0);
	close(rx);
	close(tx);
	printf("smpsock: two udp receivers got %ld + %ld of %d datagrams, cpus %x and %x\n",
	       dj[0].count, dj[1].count, TWO_RX_DGRAMS, dj[0].cpu_seen, dj[1].cpu_seen);
}

/* One connection per thread, each thread pinned to its own CPU: echo until EOF. */
static void *echo_conn(void *arg)
{
	struct job *j = arg;
	static __thread char buf[8192];
	ssize_t n;
	pin(j->tid);
	while ((n = recv(j->fd, buf, sizeof(buf), 0)) > 0) {
		send_all(j->fd, (unsigned char *)buf, (size_t)n);
		j->count += n;
		j->cpu_seen |= 1 << sched_getcpu();
	}
	printf("smpsock: echo %d done, %ld bytes, cpus %x\n", j->tid, j->count, j->cpu_seen);
	close(j->fd);
	free(j);
	return NULL;
}

/* UDP: two threads send UDP_DGRAMS datagrams each to the host on one socket while
 * this thread receives the host's datagrams on the same socket. */
static void *dgram_sender(void *arg)
{
	struct job *j = arg;
	unsigned char buf[8 + 1200];
	pin(j->tid);
	for (int seq = 0; seq < UDP_DGRAMS; seq++) {
		int len = 1 + (seq * 389) % 1200;
		fill_record(buf, 0x5a, j->tid, seq, len);
		CHECK(sendto(j->fd, buf, (size_t)(8 + len), 0, (struct sockaddr *)&j->to,
			     sizeof(j->to)) == 8 + len);
		j->cpu_seen |= 1 << sched_getcpu();
		if (seq % 16 == 15)
			usleep(2000);   /* the host reads as fast; slirp drops nothing, but pace it */
	}
	return NULL;
}

static void *udp_service(void *arg)
{
	(void)arg;
	int u = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(UDP_PORT) };
	CHECK(u >= 0 && bind(u, (struct sockaddr *)&a, sizeof(a)) == 0);
	for (;;) {
		unsigned char buf[2048];
		struct sockaddr_in from;
		socklen_t fl = sizeof(from);
		ssize_t n = recvfrom(u, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fl);
		CHECK(n > 0);
		if (buf[0] != 'U')
			continue;
		struct job jobs[2] = { { .fd = u, .tid = 0, .to = from }, { .fd = u, .tid = 1, .to = from } };
		pthread_t t[2];
		for (int i = 0; i < 2; i++)
			CHECK(pthread_create(&t[i], NULL, dgram_sender, &jobs[i]) == 0);
		/* Meanwhile: the host's numbered datagrams until its 'F'. */
		long got = 0, bad = 0;
		for (;;) {
			n = recvfrom(u, buf, sizeof(buf), 0, NULL, NULL);
			CHECK(n > 0);
			if (buf[0] == 'F')
				break;
			int seq;
			memcpy(&seq, buf + 1, 4);
			for (ssize_t i = 5; i < n; i++)
				bad += buf[i] != (unsigned char)(seq + i);
			got++;
		}
		for (int i = 0; i < 2; i++)
			CHECK(pthread_join(t[i], NULL) == 0);
		printf("smpsock: udp sent %d+%d, cpus %x and %x, received %ld, bad %ld\n", UDP_DGRAMS,
		       UDP_DGRAMS, jobs[0].cpu_seen, jobs[1].cpu_seen, got, bad);
		char done[] = "D";
		CHECK(sendto(u, done, 1, 0, (struct sockaddr *)&from, sizeof(from)) == 1);
	}
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);   /* threads print too */
	ncpus = (int)sysconf(_SC_NPROCESSORS_ONLN);
	CHECK(ncpus >= 1);
	pthread_t ut;
	CHECK(pthread_create(&ut, NULL, udp_service, NULL) == 0);
	int l = socket(AF_INET, SOCK_STREAM, 0), one = 1;
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(TCP_PORT) };
	CHECK(l >= 0);
	CHECK(setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) == 0);
	CHECK(bind(l, (struct sockaddr *)&a, sizeof(a)) == 0 && listen(l, 16) == 0);
	printf("smpsock: listening, %d cpus\n", ncpus);
	fflush(stdout);
	int next_cpu = 0;
	for (;;) {
		int c = accept(l, NULL, NULL);
		char cmd;
		CHECK(c >= 0);
		CHECK(recv(c, &cmd, 1, MSG_WAITALL) == 1);
		if (cmd == 'S') {
			two_senders(c);
		} else if (cmd == 'D') {
			duplex(c);
		} else if (cmd == 'R') {
			two_receivers(c);
		} else if (cmd == 'E') {
			struct job *j = calloc(1, sizeof(*j));
			pthread_t t;
			CHECK(j);
			j->fd = c;
			j->tid = next_cpu++;
			CHECK(pthread_create(&t, NULL, echo_conn, j) == 0);
			CHECK(pthread_detach(t) == 0);
		} else if (cmd == 'Q') {
			close(c);
			printf("smpsock: bye\n");
			return 0;
		} else {
			close(c);
		}
		fflush(stdout);
	}
}
