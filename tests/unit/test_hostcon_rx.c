/* Host unit tests for the console link's stdin frame parser (drivers/hostcon_rx.c). */
// needs: drivers/hostcon_rx.c
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "../../drivers/hostcon_rx.h"

/* Append one frame to buf at *n. */
static void frame(uint8_t *buf, size_t *n, int kind, const char *data, size_t len)
{
	buf[(*n)++] = (uint8_t)kind;
	buf[(*n)++] = (uint8_t)len;
	buf[(*n)++] = (uint8_t)(len >> 8);
	buf[(*n)++] = (uint8_t)(len >> 16);
	memcpy(buf + *n, data, len);
	*n += len;
}

/* Feed `stream` cut into pieces of `step` bytes, reading into out with `room`
 * bytes at a time; returns the stdin bytes collected. */
static size_t drain(const uint8_t *stream, size_t n, size_t step, size_t room, uint8_t *out,
		    struct hostcon_rx *rx)
{
	size_t pos = 0, got = 0;
	while (pos < n && !rx->eof && !rx->bad) {
		size_t piece = n - pos < step ? n - pos : step;
		size_t off = 0;
		while (off < piece && !rx->eof && !rx->bad) {
			size_t out_len = room;
			off += hostcon_rx_feed(rx, stream + pos + off, piece - off, out + got, &out_len);
			got += out_len;
		}
		pos += piece;
	}
	return got;
}

TEST(test_frames_cut_anywhere_give_the_same_bytes)
{
	uint8_t stream[512];
	size_t n = 0;
	frame(stream, &n, HOSTCON_STDIN, "hello ", 6);
	frame(stream, &n, HOSTCON_STDIN, "", 0);
	frame(stream, &n, HOSTCON_STDIN, "world\n", 6);
	frame(stream, &n, HOSTCON_STDIN_EOF, "", 0);
	frame(stream, &n, HOSTCON_STDIN, "after eof", 9);
	for (size_t step = 1; step <= n; step++) {
		for (size_t room = 1; room <= 16; room++) {
			struct hostcon_rx rx = { 0 };
			uint8_t out[64];
			size_t got = drain(stream, n, step, room, out, &rx);
			if (got != 12 || memcmp(out, "hello world\n", 12) != 0 || !rx.eof || rx.bad)
				CHECK_FAIL("step %zu room %zu: got %zu bytes, eof %d", step, room, got,
					   rx.eof);
		}
	}
}

TEST(test_feed_stops_at_eof_and_leaves_the_rest)
{
	uint8_t stream[64];
	size_t n = 0;
	frame(stream, &n, HOSTCON_STDIN, "ab", 2);
	frame(stream, &n, HOSTCON_STDIN_EOF, "", 0);
	frame(stream, &n, HOSTCON_STDIN, "cd", 2);
	struct hostcon_rx rx = { 0 };
	uint8_t out[8];
	size_t out_len = sizeof(out);
	size_t used = hostcon_rx_feed(&rx, stream, n, out, &out_len);
	CHECK_INT(out_len, 2);
	CHECK_INT(used, 6 + 4);
	CHECK(rx.eof);
	out_len = sizeof(out);
	CHECK_INT(hostcon_rx_feed(&rx, stream + used, n - used, out, &out_len), 0);
	CHECK_INT(out_len, 0);
}

TEST(test_full_output_consumes_nothing_more)
{
	uint8_t stream[64];
	size_t n = 0;
	frame(stream, &n, HOSTCON_STDIN, "abcdef", 6);
	struct hostcon_rx rx = { 0 };
	uint8_t out[8];
	size_t out_len = 0;
	CHECK_INT(hostcon_rx_feed(&rx, stream, n, out, &out_len), 4); /* the header only */
	CHECK_INT(out_len, 0);
	out_len = 4;
	CHECK_INT(hostcon_rx_feed(&rx, stream + 4, n - 4, out, &out_len), 4);
	CHECK_INT(out_len, 4);
	CHECK_INT(rx.data_left, 2);
}

TEST(test_unknown_kind_is_bad_and_stops)
{
	uint8_t stream[64];
	size_t n = 0;
	frame(stream, &n, HOSTCON_STDIN, "ok", 2);
	frame(stream, &n, HOSTCON_STDOUT, "xx", 2); /* the guest's own kind: not from a host */
	frame(stream, &n, HOSTCON_STDIN, "zz", 2);
	struct hostcon_rx rx = { 0 };
	uint8_t out[16];
	size_t out_len = sizeof(out);
	size_t used = hostcon_rx_feed(&rx, stream, n, out, &out_len);
	CHECK_INT(out_len, 2);
	CHECK(rx.bad && !rx.eof);
	CHECK_INT(used, 6 + 4);
}

TEST(test_large_frame_length_is_24_bits)
{
	static uint8_t stream[70000 + 4], out[70000];
	size_t n = 0;
	static char data[70000];
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (char)('a' + i % 26);
	frame(stream, &n, HOSTCON_STDIN, data, sizeof(data));
	struct hostcon_rx rx = { 0 };
	size_t got = drain(stream, n, 4096, 1000, out, &rx);
	CHECK_INT(got, sizeof(data));
	CHECK(memcmp(out, data, sizeof(data)) == 0);
	CHECK_INT(rx.data_left, 0);
	CHECK_INT(rx.hdr_have, 0);
}

int main(void)
{
	RUN(test_frames_cut_anywhere_give_the_same_bytes);
	RUN(test_feed_stops_at_eof_and_leaves_the_rest);
	RUN(test_full_output_consumes_nothing_more);
	RUN(test_unknown_kind_is_bad_and_stops);
	RUN(test_large_frame_length_is_24_bits);
	return CHECK_EXIT_STATUS();
}
