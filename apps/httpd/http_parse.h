/* HTTP/1.x request parsing for httpd: pure functions over a buffer (unit-tested on the host). */
#ifndef HTTPD_HTTP_PARSE_H
#define HTTPD_HTTP_PARSE_H

#include <stddef.h>

#define HTTP_LINE_MAX 8192     /* request line; longer: 414 */
#define HTTP_HEADERS_MAX 16384 /* request line + headers; more: 431 */
#define HTTP_BODY_MAX (1 << 20) /* Content-Length above: 413 */
#define HTTP_PATH_MAX 1024

enum http_method { HTTP_GET, HTTP_HEAD, HTTP_OTHER };

struct http_req {
	enum http_method method;
	char path[HTTP_PATH_MAX]; /* percent-decoded, query removed, starts with '/' */
	int minor;                /* HTTP/1.minor */
	int keep_alive;           /* the connection stays open after the response */
	long content_length;      /* request body bytes to skip */
};

/* Length of the header block at buf[0..len) including its blank line
 * (CRLF CRLF, or bare LFs), or 0 if it is not complete yet. */
size_t http_header_end(const char *buf, size_t len);

/* Status for an incomplete header block of len bytes: 0 while it may still
 * grow, 414 if the request line is too long, 431 if the headers are. */
int http_incomplete_status(const char *buf, size_t len);

/* Parse a complete header block. Returns 0, or the error status to answer
 * with: 400 malformed, 413 body too large, 414 target too long, 431 a header
 * line too long, 501 a transfer coding, 505 not HTTP/1.0 or 1.1. */
int http_parse(const char *buf, size_t len, struct http_req *r);

/* The reason phrase of a status code ("Not Found"). */
const char *http_reason(int status);

#endif
