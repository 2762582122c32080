/* HTTP/1.x request parsing: request line, the headers httpd cares about, percent-decoding.
 * Every input byte is checked against the buffer's length; nothing is assumed NUL-terminated. */
#include <string.h>
#include <strings.h>

#include "http_parse.h"

size_t http_header_end(const char *buf, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (buf[i] != '\n')
			continue;
		if (i + 1 < len && buf[i + 1] == '\n')
			return i + 2;
		if (i + 2 < len && buf[i + 1] == '\r' && buf[i + 2] == '\n')
			return i + 3;
	}
	return 0;
}

int http_incomplete_status(const char *buf, size_t len)
{
	const char *nl = memchr(buf, '\n', len);

	if (!nl && len > HTTP_LINE_MAX)
		return 414;
	if (len > HTTP_HEADERS_MAX)
		return nl && (size_t)(nl - buf) > HTTP_LINE_MAX ? 414 : 431;
	return 0;
}

/* RFC 9110 tchar. */
static int is_tchar(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c && strchr("!#$%&'*+-.^_`|~", c));
}

static int hexval(unsigned char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 :
	       c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* Decode target t[0..n) (origin-form) into out; 0, or 400/414. */
static int decode_target(const char *t, size_t n, char *out)
{
	size_t o = 0;

	if (n == 0 || t[0] != '/')
		return 400;
	for (size_t i = 0; i < n && t[i] != '?' && t[i] != '#'; i++) {
		unsigned char c = (unsigned char)t[i];
		if (c <= ' ' || c >= 0x7f)
			return 400;
		if (c == '%') {
			int hi = i + 2 < n ? hexval((unsigned char)t[i + 1]) : -1;
			int lo = i + 2 < n ? hexval((unsigned char)t[i + 2]) : -1;
			if (hi < 0 || lo < 0 || (hi == 0 && lo == 0))
				return 400;
			c = (unsigned char)(hi * 16 + lo);
			i += 2;
		}
		if (o + 1 >= HTTP_PATH_MAX)
			return 414;
		out[o++] = (char)c;
	}
	out[o] = '\0';
	return 0;
}

/* The next line of buf[*at..len) without its CRLF/LF: sets *line and *n. 0 at the end. */
static int next_line(const char *buf, size_t len, size_t *at, const char **line, size_t *n)
{
	if (*at >= len)
		return 0;
	const char *start = buf + *at;
	const char *nl = memchr(start, '\n', len - *at);
	size_t end = nl ? (size_t)(nl - start) : len - *at;
	*line = start;
	*n = end > 0 && start[end - 1] == '\r' ? end - 1 : end;
	*at += end + (nl ? 1 : 0);
	return 1;
}

static int token_eq(const char *s, size_t n, const char *word)
{
	return strlen(word) == n && strncasecmp(s, word, n) == 0;
}

/* Does the comma-separated list v[0..n) contain token word? */
static int list_has(const char *v, size_t n, const char *word)
{
	size_t i = 0;

	while (i < n) {
		while (i < n && (v[i] == ' ' || v[i] == '\t' || v[i] == ','))
			i++;
		size_t s = i;
		while (i < n && v[i] != ',' && v[i] != ' ' && v[i] != '\t')
			i++;
		if (i > s && token_eq(v + s, i - s, word))
			return 1;
	}
	return 0;
}

static int parse_request_line(const char *l, size_t n, struct http_req *r)
{
	const char *sp1 = memchr(l, ' ', n);
	if (!sp1 || sp1 == l)
		return 400;
	size_t mlen = (size_t)(sp1 - l);
	for (size_t i = 0; i < mlen; i++)
		if (!is_tchar((unsigned char)l[i]))
			return 400;
	r->method = mlen == 3 && !memcmp(l, "GET", 3) ? HTTP_GET :
		    mlen == 4 && !memcmp(l, "HEAD", 4) ? HTTP_HEAD : HTTP_OTHER; /* case matters */
	const char *t = sp1 + 1, *end = l + n;
	const char *sp2 = memchr(t, ' ', (size_t)(end - t));
	if (!sp2 || sp2 == t)
		return 400;
	const char *v = sp2 + 1;
	size_t vlen = (size_t)(end - v);
	if (vlen != 8 || memcmp(v, "HTTP/", 5) != 0 || v[6] != '.' ||
	    v[5] < '0' || v[5] > '9' || v[7] < '0' || v[7] > '9')
		return 400;
	if (v[5] != '1')
		return 505;
	r->minor = v[7] - '0';
	r->keep_alive = r->minor >= 1;
	return decode_target(t, (size_t)(sp2 - t), r->path);
}

int http_parse(const char *buf, size_t len, struct http_req *r)
{
	const char *l;
	size_t n, at = 0;
	int seen_length = 0, st;

	memset(r, 0, sizeof(*r));
	/* RFC 9112 2.2: ignore empty lines before the request line. */
	do {
		if (!next_line(buf, len, &at, &l, &n))
			return 400;
	} while (n == 0);
	if (n > HTTP_LINE_MAX)
		return 414;
	if (len > HTTP_HEADERS_MAX)
		return 431;
	if ((st = parse_request_line(l, n, r)))
		return st;
	while (next_line(buf, len, &at, &l, &n) && n > 0) {
		if (n > HTTP_LINE_MAX)
			return 431;
		const char *colon = memchr(l, ':', n);
		if (!colon || colon == l)
			return 400;
		for (const char *p = l; p < colon; p++)
			if (!is_tchar((unsigned char)*p))
				return 400; /* includes whitespace before the colon */
		size_t nlen = (size_t)(colon - l);
		const char *v = colon + 1, *e = l + n;
		while (v < e && (*v == ' ' || *v == '\t'))
			v++;
		while (e > v && (e[-1] == ' ' || e[-1] == '\t'))
			e--;
		size_t vlen = (size_t)(e - v);
		for (size_t i = 0; i < vlen; i++)
			if ((unsigned char)v[i] < ' ' && v[i] != '\t')
				return 400;
		if (token_eq(l, nlen, "Content-Length")) {
			long cl = 0;
			if (vlen == 0)
				return 400;
			for (size_t i = 0; i < vlen; i++) {
				if (v[i] < '0' || v[i] > '9')
					return 400;
				if (cl > HTTP_BODY_MAX)
					continue; /* keep checking digits, stop growing */
				cl = cl * 10 + (v[i] - '0');
			}
			if (seen_length && cl != r->content_length)
				return 400;
			seen_length = 1;
			r->content_length = cl;
		} else if (token_eq(l, nlen, "Transfer-Encoding")) {
			return 501;
		} else if (token_eq(l, nlen, "Connection")) {
			if (list_has(v, vlen, "close"))
				r->keep_alive = 0;
			else if (list_has(v, vlen, "keep-alive"))
				r->keep_alive = 1;
		}
	}
	if (r->content_length > HTTP_BODY_MAX)
		return 413;
	return 0;
}

const char *http_reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 400: return "Bad Request";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 408: return "Request Timeout";
	case 413: return "Content Too Large";
	case 414: return "URI Too Long";
	case 431: return "Request Header Fields Too Large";
	case 500: return "Internal Server Error";
	case 501: return "Not Implemented";
	case 503: return "Service Unavailable";
	case 505: return "HTTP Version Not Supported";
	default: return "Unknown";
	}
}
