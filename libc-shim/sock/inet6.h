/* IPv6 text forms (inet6.c), shared by inet_pton/inet_ntop and getaddrinfo/getnameinfo. */
#ifndef SKIFF_SHIM_INET6_H
#define SKIFF_SHIM_INET6_H

#include <stddef.h>
#include <stdint.h>

/* 1 and out filled for a valid IPv6 text address (no zone), else 0. */
int inet6_pton(const char *s, uint8_t out[16], int (*parse_quad)(const char *, uint8_t[4]));
/* The RFC 5952 text into dst; 0, or -1 with errno ENOSPC when it does not fit. */
int inet6_ntop(const uint8_t a[16], char *dst, size_t size);

#endif
