/* The DNS lookup netdb.c asks sock_dns.c for (a header free of lwIP's, so netdb.c can use <netdb.h>). */
#ifndef SKIFF_SHIM_SOCK_DNS_H
#define SKIFF_SHIM_SOCK_DNS_H

#include <stdint.h>

/* 0 with *addr (IPv4, network order); -ENOENT (no such name, or no answer),
 * -EHOSTUNREACH (no DNS server known: no dns= and none from DHCP), -ENOMEM,
 * or net_start()'s error. */
int shim_dns_lookup(const char *name, uint32_t *addr);

/* The hosts table (host=NAME:ADDR kernel arguments, from skiff run --add-host):
 * 0 with *addr (network order), or -ENOENT. Names match without regard to case. */
int shim_hosts_lookup(const char *name, uint32_t *addr);

#endif
