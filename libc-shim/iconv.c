/* iconv between UTF-8, ISO-8859-1 (Latin-1), ASCII, UTF-16LE/BE and UTF-32LE/BE; "//TRANSLIT" writes '?' for what the target cannot hold, "//IGNORE" drops it. */
#define _GNU_SOURCE /* strcasestr */
#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum charset { CS_UTF8, CS_LATIN1, CS_ASCII, CS_UTF16LE, CS_UTF16BE, CS_UTF32LE, CS_UTF32BE };

static const struct {
	const char *name;
	enum charset cs;
} names[] = {
	{ "UTF-8", CS_UTF8 }, { "UTF8", CS_UTF8 },
	{ "ISO-8859-1", CS_LATIN1 }, { "ISO8859-1", CS_LATIN1 }, { "ISO_8859-1", CS_LATIN1 },
	{ "LATIN1", CS_LATIN1 }, { "L1", CS_LATIN1 },
	{ "ASCII", CS_ASCII }, { "US-ASCII", CS_ASCII }, { "ANSI_X3.4-1968", CS_ASCII },
	{ "UTF-16LE", CS_UTF16LE }, { "UTF-16BE", CS_UTF16BE },
	{ "UTF-32LE", CS_UTF32LE }, { "UTF-32BE", CS_UTF32BE },
};

#define BAD_CHAR 0xffffffffu /* not a Unicode scalar value */

struct conv {
	enum charset from, to;
	int translit; /* //TRANSLIT: '?' for what the target cannot hold */
	int ignore;   /* //IGNORE: drop it */
};

/* The charset named s (up to "//"), or -1. Sets the suffix flags. */
static int lookup(const char *s, struct conv *c)
{
	size_t n = strcspn(s, "/");

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (strlen(names[i].name) == n && strncasecmp(names[i].name, s, n) == 0) {
			if (c) {
				c->translit = strcasestr(s + n, "//TRANSLIT") != NULL;
				c->ignore = strcasestr(s + n, "//IGNORE") != NULL;
			}
			return (int)names[i].cs;
		}
	}
	return -1;
}

iconv_t iconv_open(const char *to, const char *from)
{
	struct conv *c = calloc(1, sizeof(*c));

	if (!c) {
		errno = ENOMEM;
		return (iconv_t)-1;
	}
	int t = lookup(to, c), f = lookup(from, NULL);
	if (t < 0 || f < 0) {
		free(c);
		errno = EINVAL;
		return (iconv_t)-1;
	}
	c->to = (enum charset)t;
	c->from = (enum charset)f;
	return c;
}

int iconv_close(iconv_t cd)
{
	if (!cd || cd == (iconv_t)-1) {
		errno = EBADF;
		return -1;
	}
	free(cd);
	return 0;
}

/* Decode one character from in[0..n): its length in *len, or 0 for an
 * incomplete sequence (EINVAL); BAD_CHAR for an invalid one (EILSEQ). */
static uint32_t decode(enum charset cs, const unsigned char *in, size_t n, size_t *len)
{
	*len = 0;
	switch (cs) {
	case CS_LATIN1:
		*len = 1;
		return in[0];
	case CS_ASCII:
		*len = 1;
		return in[0] < 0x80 ? in[0] : BAD_CHAR;
	case CS_UTF16LE:
	case CS_UTF16BE: {
		if (n < 2)
			return 0;
		int be = cs == CS_UTF16BE;
		uint32_t u = be ? (uint32_t)in[0] << 8 | in[1] : (uint32_t)in[1] << 8 | in[0];
		if (u >= 0xdc00 && u < 0xe000)
			return *len = 2, BAD_CHAR;
		if (u < 0xd800 || u >= 0xe000)
			return *len = 2, u;
		if (n < 4)
			return 0;
		uint32_t lo = be ? (uint32_t)in[2] << 8 | in[3] : (uint32_t)in[3] << 8 | in[2];
		*len = 4;
		if (lo < 0xdc00 || lo >= 0xe000)
			return BAD_CHAR;
		return 0x10000 + ((u - 0xd800) << 10) + (lo - 0xdc00);
	}
	case CS_UTF32LE:
	case CS_UTF32BE: {
		if (n < 4)
			return 0;
		uint32_t u = cs == CS_UTF32BE ?
			(uint32_t)in[0] << 24 | (uint32_t)in[1] << 16 | (uint32_t)in[2] << 8 | in[3] :
			(uint32_t)in[3] << 24 | (uint32_t)in[2] << 16 | (uint32_t)in[1] << 8 | in[0];
		*len = 4;
		return u > 0x10ffff || (u >= 0xd800 && u < 0xe000) ? BAD_CHAR : u;
	}
	case CS_UTF8:
		break;
	}
	unsigned char b = in[0];
	size_t need;
	uint32_t u, min;
	if (b < 0x80) {
		*len = 1;
		return b;
	} else if (b >= 0xc2 && b < 0xe0) {
		need = 2, u = b & 0x1f, min = 0x80;
	} else if (b >= 0xe0 && b < 0xf0) {
		need = 3, u = b & 0x0f, min = 0x800;
	} else if (b >= 0xf0 && b < 0xf5) {
		need = 4, u = b & 0x07, min = 0x10000;
	} else {
		*len = 1;
		return BAD_CHAR;
	}
	for (size_t i = 1; i < need; i++) {
		if (i >= n)
			return 0; /* incomplete, so far valid */
		if ((in[i] & 0xc0) != 0x80) {
			*len = i;
			return BAD_CHAR;
		}
		u = u << 6 | (in[i] & 0x3f);
	}
	*len = need;
	if (u < min || u > 0x10ffff || (u >= 0xd800 && u < 0xe000))
		return BAD_CHAR;
	return u;
}

/* Encode u into out[0..room): bytes written, 0 if it does not fit (E2BIG),
 * -1 if the charset cannot hold u. */
static int encode(enum charset cs, uint32_t u, unsigned char *out, size_t room)
{
	switch (cs) {
	case CS_LATIN1:
	case CS_ASCII:
		if (u >= (cs == CS_ASCII ? 0x80u : 0x100u))
			return -1;
		if (room < 1)
			return 0;
		out[0] = (unsigned char)u;
		return 1;
	case CS_UTF16LE:
	case CS_UTF16BE: {
		uint16_t w[2];
		int n = 1;
		if (u >= 0x10000) {
			w[0] = (uint16_t)(0xd800 + ((u - 0x10000) >> 10));
			w[1] = (uint16_t)(0xdc00 + ((u - 0x10000) & 0x3ff));
			n = 2;
		} else {
			w[0] = (uint16_t)u;
		}
		if (room < (size_t)n * 2)
			return 0;
		for (int i = 0; i < n; i++) {
			out[2 * i + (cs == CS_UTF16LE)] = (unsigned char)(w[i] >> 8);
			out[2 * i + (cs != CS_UTF16LE)] = (unsigned char)w[i];
		}
		return n * 2;
	}
	case CS_UTF32LE:
	case CS_UTF32BE:
		if (room < 4)
			return 0;
		for (int i = 0; i < 4; i++)
			out[cs == CS_UTF32BE ? 3 - i : i] = (unsigned char)(u >> (8 * i));
		return 4;
	case CS_UTF8:
		break;
	}
	int n = u < 0x80 ? 1 : u < 0x800 ? 2 : u < 0x10000 ? 3 : 4;
	if (room < (size_t)n)
		return 0;
	if (n == 1) {
		out[0] = (unsigned char)u;
		return 1;
	}
	static const unsigned char lead[] = { 0, 0, 0xc0, 0xe0, 0xf0 };
	for (int i = n - 1; i > 0; i--, u >>= 6)
		out[i] = (unsigned char)(0x80 | (u & 0x3f));
	out[0] = (unsigned char)(lead[n] | u);
	return n;
}

size_t iconv(iconv_t cd, char **restrict inbuf, size_t *restrict inleft,
	     char **restrict outbuf, size_t *restrict outleft)
{
	struct conv *c = cd;
	size_t irreversible = 0;

	if (!c || cd == (iconv_t)-1) {
		errno = EBADF;
		return (size_t)-1;
	}
	if (!inbuf || !*inbuf)
		return 0; /* no shift state to reset or write out */
	while (*inleft > 0) {
		size_t len;
		uint32_t u = decode(c->from, (const unsigned char *)*inbuf, *inleft, &len);
		if (len == 0) {
			errno = EINVAL; /* incomplete sequence at the end of the input */
			return (size_t)-1;
		}
		if (u == BAD_CHAR) {
			errno = EILSEQ;
			return (size_t)-1;
		}
		int w = encode(c->to, u, (unsigned char *)*outbuf, *outleft);
		if (w < 0 && (c->translit || c->ignore)) {
			irreversible++;
			w = c->translit ? encode(c->to, '?', (unsigned char *)*outbuf, *outleft) : 0;
			if (w == 0 && c->translit) {
				errno = E2BIG;
				return (size_t)-1;
			}
		} else if (w < 0) {
			errno = EILSEQ; /* the target cannot hold it: input left at it */
			return (size_t)-1;
		} else if (w == 0) {
			errno = E2BIG;
			return (size_t)-1;
		}
		*outbuf += w;
		*outleft -= (size_t)w;
		*inbuf += len;
		*inleft -= len;
	}
	return irreversible;
}
