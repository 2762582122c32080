/* httpd's /_stats page: the server's counters and the kernel's memory figures as text. */
#ifndef HTTPD_HTTP_STATS_H
#define HTTPD_HTTP_STATS_H

#include <stddef.h>

struct http_counters {
	unsigned long long accepted;  /* connections accepted */
	unsigned long long requests;  /* responses queued (any status) */
	unsigned long long open;      /* connections open now */
};

/* Write "name value\n" lines (the counters, then /dev/memstats) into buf[cap].
 * Returns the length, or -1 when /dev/memstats cannot be read. */
int http_stats(const struct http_counters *c, char *buf, size_t cap);

#endif
