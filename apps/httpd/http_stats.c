/* httpd's /_stats page: counters (totals, then per worker), then the text of /dev/memstats
 * (RAM, free low-water, heap high-water). */
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "http_stats.h"

/* Append to buf[*len..cap); 0, or -1 when it did not fit. */
static int put(char *buf, size_t cap, int *len, const char *name, int worker,
	       unsigned long long v)
{
	int k = worker < 0 ? snprintf(buf + *len, cap - (size_t)*len, "%s %llu\n", name, v)
			   : snprintf(buf + *len, cap - (size_t)*len, "worker%d_%s %llu\n", worker,
				      name, v);

	if (k < 0 || (size_t)k >= cap - (size_t)*len)
		return -1;
	*len += k;
	return 0;
}

static unsigned long long get(const unsigned long long *c)
{
	return __atomic_load_n(c, __ATOMIC_RELAXED);
}

int http_stats(const struct http_counters *workers, int n, char *buf, size_t cap)
{
	unsigned long long accepted = 0, requests = 0, open_now = 0;
	int len = 0, bad = 0;

	for (int i = 0; i < n; i++) {
		accepted += get(&workers[i].accepted);
		requests += get(&workers[i].requests);
		open_now += get(&workers[i].open);
	}
	bad |= put(buf, cap, &len, "accepted", -1, accepted);
	bad |= put(buf, cap, &len, "requests", -1, requests);
	bad |= put(buf, cap, &len, "open", -1, open_now);
	bad |= put(buf, cap, &len, "workers", -1, (unsigned long long)n);
	for (int i = 0; i < n && !bad; i++) {
		bad |= put(buf, cap, &len, "accepted", i, get(&workers[i].accepted));
		bad |= put(buf, cap, &len, "requests", i, get(&workers[i].requests));
		bad |= put(buf, cap, &len, "open", i, get(&workers[i].open));
	}
	int fd = bad ? -1 : open("/dev/memstats", O_RDONLY);
	ssize_t k;

	if (fd < 0)
		return -1;
	while ((size_t)len < cap && (k = read(fd, buf + len, cap - (size_t)len)) > 0)
		len += (int)k;
	close(fd);
	return len;
}
