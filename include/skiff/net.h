/* The network stack's entry point for libc-shim: lwIP starts on first use. */
#ifndef SKIFF_NET_H
#define SKIFF_NET_H

/*
 * net_start() brings the stack up once: the tcpip thread, the loopback
 * interface, one lwIP interface per network device, and an IPv4 address for
 * the first device from the kernel arguments (ip=A.B.C.D/LEN, netmask=,
 * gw=, dns=A[,B]) or else from DHCP. It blocks until that address is
 * configured. Later calls return the first call's result at once.
 *
 * Returns 0, or a negative errno value (newlib's numbering): -ENETUNREACH
 * when DHCP gave no address in time (the log says so), -EINVAL for a
 * malformed ip=/gw=/dns= argument, -ENOMEM. With no network device at all
 * it returns 0 and only 127.0.0.1 works. Thread context.
 */
int net_start(void);

#endif
