/* lwIP options for the host fuzz build: skiff's net/lwipopts.h, made single-threaded (NO_SYS=1, no timers). */
#ifndef SKIFF_FUZZ_LWIPOPTS_H
#define SKIFF_FUZZ_LWIPOPTS_H

/* Everything protocol-related (TCP window, MSS, reassembly, ARP queueing,
 * per-netif checksum control, custom pbufs, loopback) stays as skiff builds it. */
#include "../../../net/lwipopts.h"

/* The OS side goes: the fuzz target feeds frames and calls the timers itself,
 * one input at a time, on one thread. */
#undef NO_SYS
#define NO_SYS 1
#define NO_SYS_NO_TIMERS 1
#undef SYS_LIGHTWEIGHT_PROT
#define SYS_LIGHTWEIGHT_PROT 0
#undef LWIP_TCPIP_CORE_LOCKING
#define LWIP_TCPIP_CORE_LOCKING 0
#undef LWIP_TCPIP_CORE_LOCKING_INPUT
#define LWIP_TCPIP_CORE_LOCKING_INPUT 0
#undef LWIP_NETCONN
#define LWIP_NETCONN 0
#undef LWIP_SOCKET
#define LWIP_SOCKET 0
#undef LWIP_ASSERT_CORE_LOCKED
#define LWIP_ASSERT_CORE_LOCKED()

/* net/netif_skiff.c takes the core lock and hands tcpip_input to netif_add;
 * without the tcpip thread the lock is nothing and netif_input is the input. */
#define LOCK_TCPIP_CORE()
#define UNLOCK_TCPIP_CORE()
#define tcpip_input netif_input

/* A fixed initial sequence number: each input replays the same connection,
 * so the fuzzer can learn the acknowledgement numbers that lead past SYN-RCVD. */
#define LWIP_HOOK_TCP_ISN(local_ip, local_port, remote_ip, remote_port) 0x5eed0000UL

/* Every IPv4 packet lwIP takes in, checked first: a pbuf chain whose
 * tot_len fields disagree with its pieces (targets/fuzz_netrx.c). */
struct pbuf;
struct netif;
int netrx_check_pbuf(struct pbuf *p, struct netif *inp);
#define LWIP_HOOK_IP4_INPUT(p, inp) netrx_check_pbuf((p), (inp))

#endif
