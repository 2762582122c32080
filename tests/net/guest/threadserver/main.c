/* Net test guest: a thread per connection, each holding a heap buffer and growing its stack;
 * when memory runs out malloc says NULL ("full"), pthread_create EAGAIN ("busy"), no panic. */
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define CACHE_BYTES (96 * 1024)

static int busy_count, served;

/* Work that needs `bytes` of stack (past the 16 KiB mapped when the thread starts). */
__attribute__((noinline)) static int deep(size_t bytes, int seed)
{
	volatile char buf[4096];
	buf[0] = (char)seed;
	buf[4095] = (char)(seed >> 8);
	if (bytes <= sizeof(buf))
		return buf[0] + buf[4095];
	return deep(bytes - sizeof(buf), seed + 1) + buf[0];
}

static void *handler(void *arg)
{
	int fd = (int)(long)arg;
	char line[64];
	size_t n = 0;
	ssize_t r;
	while (n < sizeof(line) - 1 && (r = read(fd, line + n, 1)) == 1 && line[n] != '\n')
		n++;
	/* A per-connection buffer first (the heap may be full: then sbrk has stopped
	 * short of the pages kept for stacks), then the stack grows. */
	char *cache = malloc(CACHE_BYTES);
	if (cache)
		memset(cache, (int)n, CACHE_BYTES);
	int v = deep(40 * 1024, (int)n);
	char reply[48];
	int len = snprintf(reply, sizeof(reply), "%s %d\n", cache ? "ok" : "full",
			   __atomic_add_fetch(&served, 1, __ATOMIC_RELAXED) + v * 0);
	if (write(fd, reply, (size_t)len) == len)
		while (read(fd, line, sizeof(line)) > 0) /* hold the thread until the client goes */
			;
	close(fd);
	free(cache);
	return NULL;
}

int main(int argc, char **argv)
{
	int port = argc > 1 ? atoi(argv[1]) : 80;
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	int one = 1, lfd = socket(AF_INET, SOCK_STREAM, 0);
	if (lfd < 0 || setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    bind(lfd, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(lfd, 8) < 0) {
		perror("threadserver");
		return 1;
	}
	pthread_attr_t attr;
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	printf("threadserver: listening\n");
	fflush(stdout);
	for (;;) {
		int fd = accept(lfd, NULL, NULL);
		if (fd < 0) {
			perror("threadserver: accept");
			continue;
		}
		pthread_t t;
		int err = pthread_create(&t, &attr, handler, (void *)(long)fd);
		if (err) {
			static const char busy[] = "busy\n";
			if (err != EAGAIN)
				printf("threadserver: pthread_create: %s\n", strerror(err));
			if (write(fd, busy, sizeof(busy) - 1) < 0)
				perror("threadserver: write");
			close(fd);
			busy_count++;
		}
	}
}
