/* getaddrinfo's host part (gai_resolve.c): numeric IPv4/IPv6, no host, localhost, DNS for both families. */
#ifndef SKIFF_SHIM_GAI_RESOLVE_H
#define SKIFF_SHIM_GAI_RESOLVE_H

#include <stdint.h>

/* One address getaddrinfo found. */
struct gai_addr {
	int family;
	uint8_t a[16];      /* 4 bytes for AF_INET */
	uint32_t scope_id;  /* from "fe80::1%en0" */
};

/* node (NULL: the any or loopback addresses) for family (AF_UNSPEC, AF_INET,
 * AF_INET6) and the AI_* flags -> up to two addresses in out, in the order
 * Linux's glibc gives them; *n their count. 0 or an EAI_ value. */
int gai_resolve(const char *node, int family, int flags, struct gai_addr out[2], int *n);

/* A name lookup's -errno as an EAI_ value (0 stays 0; errno set for EAI_FAIL). */
int gai_lookup_err(int err);

#endif
