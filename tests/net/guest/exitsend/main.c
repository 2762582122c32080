/* Guest for test_exit_delivery: send, then end the program at once (exit, or a signal to
 * itself); the host must still get every byte, as from a native process that exits. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define CHECK(c) do { if (!(c)) { printf("exitsend: FAIL %s:%d: %s\n", __FILE__, __LINE__, \
	#c); exit(1); } } while (0)

static char buf[4096];

static void fill(unsigned seq)
{
	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = (char)('a' + (seq + i) % 26);
}

/* tcp BYTES: accept one connection on port 80, send BYTES of the pattern, close. */
static void tcp_send(long bytes)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(80) };
	int s = socket(AF_INET, SOCK_STREAM, 0), one = 1;
	CHECK(s >= 0 && setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) == 0);
	CHECK(bind(s, (struct sockaddr *)&sa, sizeof(sa)) == 0 && listen(s, 1) == 0);
	printf("exitsend: listening\n");
	fflush(stdout);
	int c = accept(s, NULL, NULL);
	CHECK(c >= 0);
	for (long sent = 0; sent < bytes;) {
		size_t n = bytes - sent < (long)sizeof(buf) ? (size_t)(bytes - sent) : sizeof(buf);
		fill((unsigned)sent);
		ssize_t w = send(c, buf, n, 0);
		CHECK(w > 0);
		sent += w;
	}
	CHECK(close(c) == 0);
}

/* udp PORT COUNT: COUNT datagrams "exitsend K" to the host (10.0.2.2:PORT). */
static void udp_send(int port, int count)
{
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons((unsigned short)port) };
	int s = socket(AF_INET, SOCK_DGRAM, 0);
	CHECK(s >= 0 && inet_pton(AF_INET, "10.0.2.2", &to.sin_addr) == 1);
	for (int k = 0; k < count; k++) {
		int n = snprintf(buf, sizeof(buf), "exitsend %d", k);
		CHECK(sendto(s, buf, (size_t)n, 0, (struct sockaddr *)&to, sizeof(to)) == n);
	}
}

int main(int argc, char **argv)
{
	CHECK(argc >= 4);
	if (strcmp(argv[1], "tcp") == 0)
		tcp_send(atol(argv[2]));
	else
		udp_send(atoi(argv[2]), atoi(argv[3]));
	if (strcmp(argv[argc - 1], "kill") == 0)
		raise(SIGTERM);   /* ends the VM with 143, like a native process's signal death */
	return 0;           /* no sleep, no shutdown(): power-off follows at once */
}
