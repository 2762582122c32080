/* httpd's /_stats page: the server's counters and the kernel's memory figures as text. */
#ifndef HTTPD_HTTP_STATS_H
#define HTTPD_HTTP_STATS_H

#include <stddef.h>

/* One worker's counters: written by that worker only, read by any (atomically, relaxed). */
struct http_counters {
	unsigned long long accepted;  /* connections accepted */
	unsigned long long requests;  /* responses queued (any status) */
	unsigned long long open;      /* connections open now */
};

/* c += 1 or c = v from the owning worker, visible whole to readers on other CPUs. */
static inline void http_count(unsigned long long *c)
{
	__atomic_store_n(c, __atomic_load_n(c, __ATOMIC_RELAXED) + 1, __ATOMIC_RELAXED);
}

static inline void http_count_set(unsigned long long *c, unsigned long long v)
{
	__atomic_store_n(c, v, __ATOMIC_RELAXED);
}

/* Write "name value\n" lines into buf[cap]: the totals over workers[n], "workers N", each
 * worker's "workerI_accepted/_requests/_open", then /dev/memstats.
 * Returns the length, or -1 when it does not fit or /dev/memstats cannot be read. */
int http_stats(const struct http_counters *workers, int n, char *buf, size_t cap);

#endif
