/* The console-stream test guest: stdout/stderr order, stdin (file, pipe, terminal, poll), isatty, volume. */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int write_str(int fd, const char *s)
{
	return write(fd, s, strlen(s)) == (ssize_t)strlen(s) ? 0 : 1;
}

/* Three writes, alternating streams: a shared file must hold them in this order. */
static int order(void)
{
	return write_str(1, "out 1\n") | write_str(2, "err 2\n") | write_str(1, "out 3\n");
}

/* stdin to stdout byte for byte, then the count on stderr. */
static int cat(void)
{
	static char buf[4096];
	long total = 0;
	ssize_t n;
	while ((n = read(0, buf, sizeof(buf))) > 0) {
		if (write(1, buf, (size_t)n) != n)
			return 3;
		total += n;
	}
	if (n < 0) {
		perror("read");
		return 4;
	}
	fprintf(stderr, "eof after %ld bytes\n", total);
	return 0;
}

/* Line by line from a terminal: answer each line at once. */
static int lines(void)
{
	char line[256];
	while (fgets(line, sizeof(line), stdin)) {
		printf("got %s", line);
		fflush(stdout);
	}
	printf("eof\n");
	return 0;
}

/* poll() on stdin with no timeout, then what came. */
static int wait_input(void)
{
	struct pollfd p = { .fd = 0, .events = POLLIN };
	char buf[64];
	if (poll(&p, 1, -1) != 1 || !(p.revents & POLLIN))
		return 3;
	ssize_t n = read(0, buf, sizeof(buf));
	printf("poll ready: %.*s\n", (int)(n > 0 ? n : 0), buf);
	return 0;
}

/* `bytes` bytes of numbered 100-byte lines ("%099ld\n") through stdio; the
 * number is counted up in place, so the guest's time goes to the output. */
static int volume(long bytes)
{
	char line[100];
	memset(line, '0', 99);
	line[99] = '\n';
	for (long i = 0; i < bytes / 100; i++) {
		if (fwrite(line, 1, 100, stdout) != 100)
			return 3;
		for (int d = 98; d >= 0 && ++line[d] > '9'; d--)
			line[d] = '0';
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";
	if (!strcmp(mode, "order"))
		return order();
	if (!strcmp(mode, "nonl")) { /* stderr without a final newline, then a status */
		fputs("no newline at the end", stderr);
		return 5;
	}
	if (!strcmp(mode, "cat"))
		return cat();
	if (!strcmp(mode, "lines"))
		return lines();
	if (!strcmp(mode, "poll"))
		return wait_input();
	if (!strcmp(mode, "isatty")) {
		printf("tty %d%d%d\n", isatty(0), isatty(1), isatty(2));
		return 0;
	}
	if (!strcmp(mode, "volume"))
		return volume(argc > 2 ? atol(argv[2]) : 10000000);
	fprintf(stderr, "usage: console_app order|nonl|cat|lines|poll|isatty|volume [BYTES]\n");
	return 2;
}
