/* Address conversion: inet_addr, inet_aton, inet_ntoa, inet_pton, inet_ntop. */
#ifndef SKIFF_ARPA_INET_H
#define SKIFF_ARPA_INET_H

#include <netinet/in.h>

#ifdef __cplusplus
extern "C" {
#endif

in_addr_t inet_addr(const char *cp);
int inet_aton(const char *cp, struct in_addr *inp);
char *inet_ntoa(struct in_addr in);
int inet_pton(int af, const char *__restrict src, void *__restrict dst);
const char *inet_ntop(int af, const void *__restrict src, char *__restrict dst, socklen_t size);

#ifdef __cplusplus
}
#endif

#endif
