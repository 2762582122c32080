/* The DNS lookup netdb.c asks sock_dns.c for (a header free of lwIP's, so netdb.c can use <netdb.h>). */
#ifndef SKIFF_SHIM_SOCK_DNS_H
#define SKIFF_SHIM_SOCK_DNS_H

#include <stdint.h>

/* Which records to ask for: one family, or one then the other. */
enum shim_dns_want { SHIM_DNS_V4, SHIM_DNS_V6, SHIM_DNS_V4_V6, SHIM_DNS_V6_V4 };

/* 0 with *family (AF_INET or AF_INET6) and addr (4 or 16 bytes, network
 * order); -ENOENT (no such name, or no answer), -EHOSTUNREACH (no DNS server
 * known: no dns= and none from DHCP), -ENOMEM, or net_start()'s error. */
int shim_dns_lookup_want(const char *name, enum shim_dns_want want, int *family,
			 uint8_t addr[16]);
/* Has the network device an IPv6 address beyond its link-local one (SLAAC
 * or ip6=)? 1 or 0. */
int shim_net_has_global6(void);
/* The IPv4 lookup: *addr in network order. */
int shim_dns_lookup(const char *name, uint32_t *addr);

/* The hosts table (host=NAME:ADDR kernel arguments, from skiff run --add-host):
 * 0 with *addr (network order), or -ENOENT. Names match without regard to case. */
int shim_hosts_lookup(const char *name, uint32_t *addr);

#endif
