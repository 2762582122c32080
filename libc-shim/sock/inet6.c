/* IPv6 text <-> binary for inet_pton/inet_ntop: RFC 4291 forms in, RFC 5952 (glibc's) out. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <skiff/hexdigit.h>

#include "inet6.h"

/* Eight 16-bit groups, at most one "::", an optional dotted quad in the
 * last 32 bits (parse_quad is inet_pton's strict IPv4 form). */
int inet6_pton(const char *s, uint8_t out[16], int (*parse_quad)(const char *, uint8_t[4]))
{
	uint8_t b[16];
	int n = 0, gap = -1; /* bytes written; where "::" stands */

	memset(b, 0, sizeof(b));
	if (s[0] == ':') {
		if (s[1] != ':')
			return 0;
		s += 2;
		gap = 0;
		if (!*s)
			goto done;
	}
	for (;;) {
		const char *start = s;
		unsigned v = 0;
		int digits = 0, d;
		while ((d = hex_digit(*s)) >= 0) {
			if (++digits > 4)
				return 0;
			v = v << 4 | (unsigned)d;
			s++;
		}
		if (*s == '.') { /* the dotted quad ends the address */
			if (n > 12 || !parse_quad(start, &b[n]))
				return 0;
			n += 4;
			break;
		}
		if (!digits || n > 14)
			return 0;
		b[n++] = (uint8_t)(v >> 8);
		b[n++] = (uint8_t)v;
		if (!*s)
			break;
		if (*s++ != ':')
			return 0;
		if (*s == ':') {
			if (gap >= 0)
				return 0;
			gap = n;
			if (!*++s)
				break;
		}
	}
	if (gap >= 0) {
		if (n == 16)
			return 0; /* "::" must stand for at least one group */
		memmove(&b[16 - (n - gap)], &b[gap], (size_t)(n - gap));
		memset(&b[gap], 0, (size_t)(16 - n));
	} else if (n != 16) {
		return 0;
	}
done:
	memcpy(out, b, 16);
	return 1;
}

int inet6_ntop(const uint8_t a[16], char *dst, size_t size)
{
	char buf[48], *p = buf;
	unsigned w[8];
	int best = -1, bestlen = 0;

	for (int i = 0; i < 8; i++)
		w[i] = (unsigned)(a[2 * i] << 8 | a[2 * i + 1]);
	/* The longest run of two or more zero groups, the first of equals. */
	for (int i = 0; i < 8;) {
		int j = i;
		while (j < 8 && w[j] == 0)
			j++;
		if (j - i > bestlen && j - i >= 2) {
			best = i;
			bestlen = j - i;
		}
		i = j > i ? j : i + 1;
	}
	for (int i = 0; i < 8; i++) {
		if (i == best) {
			*p++ = ':';
			if (i + bestlen == 8)
				*p++ = ':';
			i += bestlen - 1;
			continue;
		}
		if (i)
			*p++ = ':';
		/* An embedded IPv4 address: ::a.b.c.d or ::ffff:a.b.c.d. */
		if (i == 6 && best == 0 && (bestlen == 6 || (bestlen == 5 && w[5] == 0xffff))) {
			p += sprintf(p, "%u.%u.%u.%u", a[12], a[13], a[14], a[15]);
			break;
		}
		p += sprintf(p, "%x", w[i]);
	}
	*p = '\0';
	size_t n = (size_t)(p - buf);
	if (n >= size) {
		errno = ENOSPC;
		return -1;
	}
	memcpy(dst, buf, n + 1);
	return 0;
}
