/* Boot test: device interrupts arrive on the CPU chosen with irqcpu=N (argv[1] = N): network
 * traffic after the CPUs are up raises /dev/irqstats' count on CPU N and on no other CPU. */
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_CPUS 16

/* /dev/irqstats' "cpuN count" lines into counts; the number of CPUs listed. */
static int irq_counts(unsigned long long *counts)
{
	char text[512];
	int fd = open("/dev/irqstats", O_RDONLY), n = 0, cpu;
	ssize_t len = fd < 0 ? -1 : read(fd, text, sizeof(text) - 1);
	unsigned long long v;

	if (len <= 0) {
		printf("irq_route FAIL: /dev/irqstats unreadable\n");
		exit(1);
	}
	close(fd);
	text[len] = 0;
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n"))
		if (sscanf(line, "cpu%d %llu", &cpu, &v) == 2 && cpu == n && n < MAX_CPUS)
			counts[n++] = v;
	return n;
}

/* Traffic in both directions: TCP connects to the host's closed port 1 (slirp answers RST)
 * and back-to-back failed attempts. Each answer is a received frame: an RX interrupt. */
static void make_traffic(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(1) };
	inet_pton(AF_INET, "10.0.2.2", &a.sin_addr);
	for (int i = 0; i < 20; i++) {
		int s = socket(AF_INET, SOCK_STREAM, 0);
		if (s < 0) {
			printf("irq_route FAIL: socket\n");
			exit(1);
		}
		connect(s, (struct sockaddr *)&a, sizeof(a)); /* refused: fine */
		close(s);
	}
}

int main(int argc, char **argv)
{
	int want = argc > 1 ? atoi(argv[1]) : 0;
	long online = sysconf(_SC_NPROCESSORS_ONLN); /* brings the other CPUs up */
	unsigned long long before[MAX_CPUS], after[MAX_CPUS];
	int n = irq_counts(before);

	make_traffic();
	if (irq_counts(after) != n || n != online) {
		printf("irq_route FAIL: %d CPUs listed, %ld online\n", n, online);
		return 1;
	}
	int ok = 1;
	for (int i = 0; i < n; i++) {
		unsigned long long d = after[i] - before[i];
		printf("cpu%d: %llu device interrupts during the traffic\n", i, d);
		ok &= i == want ? d > 0 : d == 0;
	}
	printf(ok ? "interrupts on cpu %d only\n" : "irq_route FAIL: not all on cpu %d\n", want);
	return ok ? 0 : 1;
}
