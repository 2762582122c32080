/* Host unit tests for httpd's request parser (apps/httpd/http_parse.c), including hostile input. */
// needs: apps/httpd/http_parse.c
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "../../apps/httpd/http_parse.h"

static struct http_req req;

static int parse(const char *s)
{
	size_t len = strlen(s), end = http_header_end(s, len);

	return end ? http_parse(s, end, &req) : -1;
}

TEST(test_simple_get)
{
	CHECK_INT(parse("GET /index.html HTTP/1.1\r\nHost: x\r\n\r\n"), 0);
	CHECK_INT(req.method, HTTP_GET);
	CHECK_STR(req.path, "/index.html");
	CHECK_INT(req.minor, 1);
	CHECK_INT(req.keep_alive, 1);
	CHECK_INT(req.content_length, 0);
}

TEST(test_versions_and_connection)
{
	CHECK_INT(parse("GET / HTTP/1.0\r\n\r\n"), 0);
	CHECK_INT(req.keep_alive, 0);
	CHECK_INT(parse("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n"), 0);
	CHECK_INT(req.keep_alive, 1);
	CHECK_INT(parse("HEAD / HTTP/1.1\r\nConnection: foo, close\r\n\r\n"), 0);
	CHECK_INT(req.method, HTTP_HEAD);
	CHECK_INT(req.keep_alive, 0);
	CHECK_INT(parse("GET / HTTP/2.0\r\n\r\n"), 505);
	CHECK_INT(parse("GET / HTTP/1.1x\r\n\r\n"), 400);
	CHECK_INT(parse("GET / FTP/1.1\r\n\r\n"), 400);
	CHECK_INT(parse("\r\nGET / HTTP/1.1\n\n"), 0); /* leading empty line, bare LFs */
}

TEST(test_targets)
{
	CHECK_INT(parse("GET /a%20b?x=1 HTTP/1.1\r\n\r\n"), 0);
	CHECK_STR(req.path, "/a b");
	CHECK_INT(parse("GET /%zz HTTP/1.1\r\n\r\n"), 400);
	CHECK_INT(parse("GET /%00 HTTP/1.1\r\n\r\n"), 400);
	CHECK_INT(parse("GET /% HTTP/1.1\r\n\r\n"), 400);
	CHECK_INT(parse("GET http://x/ HTTP/1.1\r\n\r\n"), 400);
	CHECK_INT(parse("GET  / HTTP/1.1\r\n\r\n"), 400);
	CHECK_INT(parse("POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\n"), 0);
	CHECK_INT(req.method, HTTP_OTHER);
	CHECK_INT(req.content_length, 5);
	CHECK_INT(parse("get / HTTP/1.1\r\n\r\n"), 0);
	CHECK_INT(req.method, HTTP_OTHER); /* methods are case-sensitive */
	CHECK_INT(parse("G(T / HTTP/1.1\r\n\r\n"), 400);
}

TEST(test_headers)
{
	CHECK_INT(parse("GET / HTTP/1.1\r\nNoColon\r\n\r\n"), 400);
	CHECK_INT(parse("GET / HTTP/1.1\r\nBad Name: x\r\n\r\n"), 400);
	CHECK_INT(parse("GET / HTTP/1.1\r\n: x\r\n\r\n"), 400);
	CHECK_INT(parse("GET / HTTP/1.1\r\nContent-Length: 12a\r\n\r\n"), 400);
	CHECK_INT(parse("GET / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n"), 400);
	CHECK_INT(parse("GET / HTTP/1.1\r\nContent-Length: 99999999999999999999\r\n\r\n"), 413);
	CHECK_INT(parse("GET / HTTP/1.1\r\nContent-Length: 2000000\r\n\r\n"), 413);
	CHECK_INT(parse("GET / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"), 501);
	CHECK_INT(parse("GET / HTTP/1.1\r\nX: a\x01b\r\n\r\n"), 400);
}

TEST(test_sizes)
{
	char *big = malloc(HTTP_HEADERS_MAX + 64);
	memset(big, 'a', HTTP_HEADERS_MAX + 63);
	big[HTTP_HEADERS_MAX + 63] = 0;
	CHECK_INT(http_incomplete_status(big, HTTP_LINE_MAX), 0);
	CHECK_INT(http_incomplete_status(big, HTTP_LINE_MAX + 1), 414);
	memcpy(big, "GET / HTTP/1.1\r\nX: ", 19);
	CHECK_INT(http_incomplete_status(big, HTTP_HEADERS_MAX), 0);
	CHECK_INT(http_incomplete_status(big, HTTP_HEADERS_MAX + 1), 431);
	free(big);
	char *many = malloc(HTTP_HEADERS_MAX + 100);
	strcpy(many, "GET / HTTP/1.1\r\n");
	while (strlen(many) < HTTP_HEADERS_MAX)
		strcat(many, "X: y\r\n");
	strcat(many, "\r\n");
	CHECK_INT(parse(many), 431);
	free(many);
	CHECK_INT(http_header_end("GET / HTTP/1.1\r\n", 16), 0);
	CHECK_INT(http_header_end("a\r\n\r\nb", 6), 5);
}

/* Random and mutated requests: the parser never reads out of bounds (ASan
 * watches) and always answers 0 or an error status. */
TEST(test_garbage)
{
	static const char seed[] = "GET /x%41y HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n"
				   "Connection: keep-alive\r\n\r\n";
	unsigned x = 12345;
	for (int round = 0; round < 20000; round++) {
		size_t len = sizeof(seed) - 1;
		char *buf = malloc(len);
		memcpy(buf, seed, len);
		for (int k = 0; k < 1 + round % 4; k++) {
			x = x * 1103515245u + 12345u;
			buf[(x >> 8) % len] = (char)(x >> 16);
		}
		x = x * 1103515245u + 12345u;
		size_t cut = round % 3 ? len : (x >> 8) % (len + 1);
		size_t end = http_header_end(buf, cut);
		int st = end ? http_parse(buf, end, &req) : http_incomplete_status(buf, cut);
		CHECK(st == 0 || (st >= 400 && st <= 505));
		free(buf);
	}
}

int main(void)
{
	RUN(test_simple_get);
	RUN(test_versions_and_connection);
	RUN(test_targets);
	RUN(test_headers);
	RUN(test_sizes);
	RUN(test_garbage);
	return CHECK_EXIT_STATUS();
}
