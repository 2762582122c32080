/* Guest for the libvirt tests: prints its args and environment, reads /dev/vda and $VOLFILE, serves one TCP client on port argv[2] ("net": only starts the network), exits with argv[1]. */
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* Listen on `port`, answer one client's line with "virtcheck heard: LINE". */
static int serve_one(int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	int one = 1, fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(fd, 1) < 0) {
		perror("virtcheck: listen");
		return -1;
	}
	printf("virtcheck: listening on %d\n", port);
	fflush(stdout);
	int c = accept(fd, NULL, NULL);
	if (c < 0) {
		perror("virtcheck: accept");
		return -1;
	}
	char line[256], reply[300];
	size_t n = 0;
	while (n < sizeof(line) - 1) {
		ssize_t got = read(c, line + n, 1);
		if (got <= 0 || line[n] == '\n')
			break;
		n++;
	}
	line[n] = 0;
	int len = snprintf(reply, sizeof(reply), "virtcheck heard: %s\n", line);
	if (write(c, reply, (size_t)len) != len)
		perror("virtcheck: write");
	close(c);
	close(fd);
	printf("virtcheck: served \"%s\"\n", line);
	return 0;
}

int main(int argc, char **argv)
{
	int status = argc > 1 ? atoi(argv[1]) : 0;
	printf("virtcheck: argc=%d", argc);
	for (int i = 1; i < argc; i++)
		printf(" [%s]", argv[i]);
	const char *greeting = getenv("GREETING");
	printf(" GREETING=%s\n", greeting ? greeting : "(unset)");
	fprintf(stderr, "virtcheck: a line on stderr\n");
	const char *volfile = getenv("VOLFILE");   /* a file on a -v volume: read, then answer */
	if (volfile) {
		char text[64] = { 0 }, answer[300];
		FILE *f = fopen(volfile, "r");
		if (!f || !fgets(text, sizeof(text), f)) {
			perror("virtcheck: volume");
			return 97;
		}
		fclose(f);
		text[strcspn(text, "\n")] = 0;
		printf("virtcheck: volume says %s\n", text);
		snprintf(answer, sizeof(answer), "%s.answer", volfile);
		f = fopen(answer, "w");
		if (!f || fprintf(f, "guest read %s\n", text) < 0 || fclose(f) != 0) {
			perror("virtcheck: volume answer");
			return 96;
		}
	}
	int disk = open("/dev/vda", O_RDONLY);
	if (disk >= 0) {
		char head[33] = { 0 };
		ssize_t got = read(disk, head, sizeof(head) - 1);
		head[got > 0 ? got : 0] = 0;
		head[strcspn(head, "\n")] = 0;
		printf("virtcheck: disk says %s\n", head);
		close(disk);
	}
	if (argc > 2 && strcmp(argv[2], "net") == 0) { /* bring the network up, no client */
		int fd = socket(AF_INET, SOCK_DGRAM, 0);
		printf("virtcheck: socket %s\n", fd >= 0 ? "ok" : "failed");
		if (fd < 0)
			return 98;
		close(fd);
	}
	if (argc > 2 && atoi(argv[2]) > 0 && serve_one(atoi(argv[2])) < 0)
		return 99;
	fflush(stdout);
	return status;
}
