/* httpd's /_stats page: counters, then the text of /dev/memstats (RAM, free low-water, heap high-water). */
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "http_stats.h"

int http_stats(const struct http_counters *c, char *buf, size_t cap)
{
	int n = snprintf(buf, cap, "accepted %llu\nrequests %llu\nopen %llu\n",
			 c->accepted, c->requests, c->open);
	int fd = open("/dev/memstats", O_RDONLY);
	ssize_t k;

	if (n < 0 || (size_t)n >= cap || fd < 0) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	while ((size_t)n < cap && (k = read(fd, buf + n, cap - (size_t)n)) > 0)
		n += (int)k;
	close(fd);
	return n;
}
