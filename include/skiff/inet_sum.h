/* The Internet checksum's pieces (RFC 1071), the one copy for drivers, the stack's port and tests: a ones'-complement sum of 16-bit words, folded. */
#ifndef SKIFF_INET_SUM_H
#define SKIFF_INET_SUM_H

#include <stddef.h>
#include <stdint.h>

/* s plus the big-endian 16-bit words of p[0..n) (an odd last byte padded with zero). */
static inline uint32_t inet_sum16(uint32_t s, const uint8_t *p, size_t n)
{
	for (; n > 1; n -= 2, p += 2)
		s += (uint32_t)p[0] << 8 | p[1];
	if (n)
		s += (uint32_t)p[0] << 8;
	return s;
}

/* Carries folded back in: 0xffff over data that includes a right checksum. */
static inline uint16_t inet_fold(uint32_t s)
{
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)s;
}

#endif
