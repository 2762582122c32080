/* Host unit tests for the 9P2000.L marshalling (libc-shim/fs/p9.c): bytes on the wire, reply checks, Rreaddir entries, path splits. */
// needs: libc-shim/fs/p9.c
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "../../libc-shim/fs/p9.h"

/* Tversion as the 9P2000.L documents lay it out, byte for byte. */
TEST(test_tversion_bytes)
{
	unsigned char buf[64];
	static const unsigned char want[] = {
		21, 0, 0, 0, 100, 0xff, 0xff, 0x18, 0x00, 0x02, 0x00,
		8, 0, '9', 'P', '2', '0', '0', '0', '.', 'L',
	};
	struct p9_out o;
	p9_begin(&o, buf, sizeof(buf), P9_TVERSION, P9_NOTAG);
	p9_u32(&o, 0x20018);
	p9_str(&o, "9P2000.L", 8);
	CHECK_INT(p9_end(&o, 0), sizeof(want));
	CHECK(memcmp(buf, want, sizeof(want)) == 0);
}

/* Twrite's size counts the data that travels in a second segment. */
TEST(test_size_counts_extra)
{
	unsigned char buf[64];
	struct p9_out o;
	p9_begin(&o, buf, sizeof(buf), P9_TWRITE, 7);
	p9_u32(&o, 3);
	p9_u64(&o, 0x0102030405060708ull);
	p9_u32(&o, 5000);
	CHECK_INT(p9_end(&o, 5000), 23);
	CHECK_INT(buf[0] | buf[1] << 8 | buf[2] << 16, 23 + 5000);
	CHECK_INT(buf[5], 7);
	CHECK_HEX(buf[11], 0x08);
	CHECK_HEX(buf[18], 0x01);
}

TEST(test_overflow_is_sticky)
{
	unsigned char buf[12];
	struct p9_out o;
	p9_begin(&o, buf, sizeof(buf), P9_TWALK, 1);
	p9_str(&o, "abcdefgh", 8); /* 7 + 2 + 8 > 12 */
	CHECK(o.err);
	p9_u8(&o, 1);
	CHECK_INT(p9_end(&o, 0), 0);
	p9_begin(&o, buf, 4, P9_TCLUNK, 1);
	CHECK(o.err);
}

static size_t reply(unsigned char *b, uint8_t type, uint16_t tag, const unsigned char *body,
		    size_t n)
{
	size_t len = 7 + n;
	b[0] = (unsigned char)len;
	b[1] = b[2] = b[3] = 0;
	b[4] = type;
	b[5] = (unsigned char)tag;
	b[6] = (unsigned char)(tag >> 8);
	if (n)
		memcpy(b + 7, body, n);
	return len;
}

TEST(test_replies)
{
	unsigned char b[64];
	struct p9_in in;
	static const unsigned char qid[] = { 0x80, 1, 0, 0, 0, 0x2a, 0, 0, 0, 0, 0, 0, 0 };
	size_t n = reply(b, P9_TATTACH + 1, 9, qid, sizeof(qid));
	CHECK_INT(p9_reply(&in, b, n, P9_TATTACH + 1, 9), 0);
	struct p9_qid q;
	p9_getqid(&in, &q);
	CHECK(!in.err);
	CHECK_INT(q.type, P9_QTDIR);
	CHECK_INT(q.version, 1);
	CHECK_INT(q.path, 42);
	p9_get8(&in); /* past the end */
	CHECK(in.err);
	CHECK_INT(p9_reply(&in, b, n, P9_TATTACH + 1, 10), -1);   /* someone else's tag */
	CHECK_INT(p9_reply(&in, b, n, P9_TWALK + 1, 9), -1);      /* not what was asked */
	CHECK_INT(p9_reply(&in, b, 5, P9_TATTACH + 1, 9), -1);    /* cut short */
	static const unsigned char enoent[] = { 2, 0, 0, 0 };
	n = reply(b, P9_RLERROR, 9, enoent, 4);
	CHECK_INT(p9_reply(&in, b, n, P9_TWALK + 1, 9), 2);
	static const unsigned char zero[] = { 0, 0, 0, 0 };
	n = reply(b, P9_RLERROR, 9, zero, 4);
	CHECK_INT(p9_reply(&in, b, n, P9_TWALK + 1, 9), -1);
	/* the device may say it wrote more than the message: size[4] wins */
	n = reply(b, P9_TCLUNK + 1, 3, 0, 0);
	CHECK_INT(p9_reply(&in, b, 40, P9_TCLUNK + 1, 3), 0);
	CHECK_INT(in.len, 7);
}

TEST(test_strings)
{
	unsigned char b[32];
	static const unsigned char body[] = { 4, 0, 'l', 'i', 'n', 'k', 9, 0, 'x' };
	struct p9_in in;
	const char *s;
	size_t n = reply(b, P9_TREADLINK + 1, 1, body, sizeof(body));
	CHECK_INT(p9_reply(&in, b, n, P9_TREADLINK + 1, 1), 0);
	CHECK_INT(p9_getstr(&in, &s), 4);
	CHECK(memcmp(s, "link", 4) == 0);
	CHECK_INT(p9_getstr(&in, &s), 0); /* says 9 bytes, has 1 */
	CHECK(in.err);
}

TEST(test_dirents)
{
	unsigned char d[64];
	size_t len = 0, pos = 0;
	for (int i = 0; i < 2; i++) {
		memset(d + len, 0, 13);
		d[len] = i ? 0 : P9_QTDIR;
		d[len + 5] = (unsigned char)(10 + i); /* qid.path */
		len += 13;
		memset(d + len, 0, 8);
		d[len] = (unsigned char)(100 + i); /* offset */
		len += 8;
		d[len++] = i ? 8 : 4;
		d[len++] = i ? 3 : 1;
		d[len++] = 0;
		memcpy(d + len, i ? "abc" : ".", i ? 3 : 1);
		len += i ? 3 : 1;
	}
	struct p9_dirent e;
	CHECK_INT(p9_next_dirent(d, len, &pos, &e), 1);
	CHECK_INT(e.offset, 100);
	CHECK_INT(e.type, 4);
	CHECK_INT(e.namelen, 1);
	CHECK_INT(e.qid.path, 10);
	CHECK_INT(p9_next_dirent(d, len, &pos, &e), 1);
	CHECK_INT(e.offset, 101);
	CHECK(e.namelen == 3 && memcmp(e.name, "abc", 3) == 0);
	CHECK_INT(p9_next_dirent(d, len, &pos, &e), 0);
	pos = 0;
	CHECK_INT(p9_next_dirent(d, len - 1, &pos, &e), 1);
	CHECK_INT(p9_next_dirent(d, len - 1, &pos, &e), -1); /* name cut short */
}

TEST(test_attr)
{
	unsigned char b[256];
	unsigned char body[153];
	memset(body, 0, sizeof(body));
	body[0] = 0xff;                 /* valid */
	body[8] = 0;                    /* qid.type */
	body[21] = 0xa4; body[22] = 0x81; /* mode 0100644 */
	body[49] = 0x39; body[50] = 0x30; /* size 12345 */
	body[89] = 0xd2; body[90] = 0x02; body[91] = 0x96; body[92] = 0x49; /* mtime 1234567890 */
	size_t n = reply(b, P9_TGETATTR + 1, 2, body, sizeof(body));
	struct p9_in in;
	struct p9_attr a;
	CHECK_INT(p9_reply(&in, b, n, P9_TGETATTR + 1, 2), 0);
	p9_getattr(&in, &a);
	CHECK(!in.err);
	CHECK_INT(a.mode, 0100644);
	CHECK_INT(a.size, 12345);
	CHECK_INT(a.mtime_sec, 1234567890);
}

TEST(test_split)
{
	const char *names[4];
	size_t lens[4];
	CHECK_INT(p9_split("", names, lens, 4), 0);
	CHECK_INT(p9_split("a/bc/d", names, lens, 4), 3);
	CHECK(lens[0] == 1 && lens[1] == 2 && lens[2] == 1 && names[1][0] == 'b');
	CHECK_INT(p9_split("a/b/c/d/e", names, lens, 4), -1);
}

int main(void)
{
	RUN(test_tversion_bytes);
	RUN(test_size_counts_extra);
	RUN(test_overflow_is_sticky);
	RUN(test_replies);
	RUN(test_strings);
	RUN(test_dirents);
	RUN(test_attr);
	RUN(test_split);
	return CHECK_EXIT_STATUS();
}
