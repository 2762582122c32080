/* Fuzz target: httpd's request parser (apps/httpd/http_parse.c); lengths and results must be consistent. */
// needs: apps/httpd/http_parse.c
// fuzz-args: -dict=tests/fuzz/targets/http.dict
//
// Input: bytes as they arrive on a connection, not NUL-terminated.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../../apps/httpd/http_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *why, int status)
{
	fprintf(stderr, "http invariant broken: %s (status %d)\n", why, status);
	abort();
}

static int known(int status, const int *list)
{
	for (; *list; list++)
		if (*list == status)
			return 1;
	return 0;
}

/* One parse of buf[0..len), checked; returns its status. */
static int parse_checked(const char *buf, size_t len)
{
	static const int statuses[] = { 400, 413, 414, 431, 501, 505, 0 };
	struct http_req r, again;

	memset(&r, 0x5a, sizeof(r));
	int st = http_parse(buf, len, &r);
	if (st != 0 && !known(st, statuses))
		fail("undocumented status", st);
	if (st != 0 && strcmp(http_reason(st), "Unknown") == 0)
		fail("no reason phrase", st);
	if (http_parse(buf, len, &again) != st)
		fail("not deterministic", st);
	if (st != 0)
		return st;
	size_t n = strnlen(r.path, sizeof(r.path));
	if (n == sizeof(r.path) || n == 0 || r.path[0] != '/')
		fail("path not a NUL-terminated absolute path", st);
	if (r.method != HTTP_GET && r.method != HTTP_HEAD && r.method != HTTP_OTHER)
		fail("method", st);
	if (r.minor < 0 || r.minor > 9 || (r.keep_alive != 0 && r.keep_alive != 1))
		fail("version or keep-alive", st);
	if (r.content_length < 0 || r.content_length > HTTP_BODY_MAX)
		fail("content length out of range", st);
	if (len > HTTP_HEADERS_MAX)
		fail("accepted an oversized header block", st);
	return st;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;
	size_t end = http_header_end(buf, size);

	if (end) {
		/* the block ends at the first blank line: LF LF or LF CR LF */
		if (end > size || end < 2 || buf[end - 1] != '\n' ||
		    !(buf[end - 2] == '\n' || (end >= 3 && buf[end - 2] == '\r' && buf[end - 3] == '\n')))
			fail("header end not after a blank line", (int)end);
		if (http_header_end(buf, end - 1) != 0)
			fail("header end is not the first", (int)end);
		parse_checked(buf, end);
	} else {
		int st = http_incomplete_status(buf, size);
		if (st != 0 && st != 414 && st != 431)
			fail("incomplete status", st);
		if (st == 0 && size > HTTP_HEADERS_MAX)
			fail("an oversized incomplete block may still grow", st);
	}
	parse_checked(buf, size); /* httpd never does, but nothing may break */
	return 0;
}
