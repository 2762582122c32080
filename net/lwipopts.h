/* lwIP configuration for skiff: threaded (NO_SYS=0) dual-stack IPv4/IPv6 TCP/UDP/DHCP/DNS with BSD sockets. */
#ifndef SKIFF_LWIPOPTS_H
#define SKIFF_LWIPOPTS_H

/* --- OS integration: a tcpip thread, core locking, kernel threads. */
#define NO_SYS                          0
#define SYS_LIGHTWEIGHT_PROT            1
#define LWIP_TCPIP_CORE_LOCKING         1
#define LWIP_TCPIP_CORE_LOCKING_INPUT   1  /* the rx thread feeds the stack itself */
#define LWIP_TCPIP_TIMEOUT              0
#define TCPIP_THREAD_NAME               "tcpip"
#define TCPIP_THREAD_STACKSIZE          32768
#define TCPIP_THREAD_PRIO               0
#define TCPIP_MBOX_SIZE                 256
#define DEFAULT_THREAD_STACKSIZE        32768
#define DEFAULT_THREAD_PRIO             0
#define DEFAULT_RAW_RECVMBOX_SIZE       64
#define DEFAULT_UDP_RECVMBOX_SIZE       128
#define DEFAULT_TCP_RECVMBOX_SIZE       128
#define DEFAULT_ACCEPTMBOX_SIZE         256
#define LWIP_NETCONN_SEM_PER_THREAD     0
#define LWIP_NETCONN_FULLDUPLEX         0

/* Core-lock assertion: lwIP's raw API called without the lock is a bug. */
void net_assert_core_locked(void);
#define LWIP_ASSERT_CORE_LOCKED()       net_assert_core_locked()

/* --- Memory: everything from newlib's malloc, sized by use, not up front. */
#define MEM_LIBC_MALLOC                 1
#define MEMP_MEM_MALLOC                 1
#define MEM_ALIGNMENT                   8
#define MEM_USE_POOLS                   0
/* Upper bounds that still matter with MEMP_MEM_MALLOC: the socket table
 * (NUM_SOCKETS = MEMP_NUM_NETCONN, <= FD_SETSIZE) and lwIP's sanity checks. */
#define MEMP_NUM_NETCONN                1024
#define MEMP_NUM_TCP_PCB                1024
#define MEMP_NUM_TCP_PCB_LISTEN         64
#define MEMP_NUM_UDP_PCB                64
#define MEMP_NUM_RAW_PCB                8
#define MEMP_NUM_NETBUF                 256
#define MEMP_NUM_TCPIP_MSG_INPKT        512
#define MEMP_NUM_SYS_TIMEOUT            64
#define PBUF_POOL_SIZE                  256
#define PBUF_POOL_BUFSIZE               LWIP_MEM_ALIGN_SIZE(TCP_MSS + 40 + PBUF_LINK_HLEN)

/* --- Protocols. */
#define LWIP_IPV4                       1
#define LWIP_ARP                        1
#define ETHARP_TRUST_IP_MAC             0
#define ARP_TABLE_SIZE                  32
#define ARP_QUEUEING                    1
/* Datagrams sent while their next hop's address resolves wait, as Linux's unres_qlen
 * keeps ~100 (lwIP's default 3 dropped all but the last three of a burst). */
#define ARP_QUEUE_LEN                   64
#define MEMP_NUM_ARP_QUEUE              256
#define ETH_PAD_SIZE                    0
#define IP_FORWARD                      0
#define IP_REASSEMBLY                   1
#define IP_FRAG                         1
#define IP_REASS_MAX_PBUFS              64
#define LWIP_ICMP                       1
#define LWIP_RAW                        0
#define LWIP_DHCP                       1
#define LWIP_DHCP_DOES_ACD_CHECK        0
#define DHCP_DOES_ARP_CHECK             0  /* the check costs a second per lease */
#define LWIP_AUTOIP                     0
/* Multicast groups (IP_ADD_MEMBERSHIP) for private networks; QEMU's virtio-net
 * filters nothing, so joining needs no MAC filter. */
#define LWIP_IGMP                       1
#define LWIP_SOCKET_MAX_MEMBERSHIPS     64 /* groups joined by all sockets together (12 B each) */
/* Sending to a broadcast address needs SO_BROADCAST, as on Linux. */
#define IP_SOF_BROADCAST                1
#define LWIP_DNS                        1
#define DNS_MAX_SERVERS                 2
#define DNS_TABLE_SIZE                  8
#define LWIP_UDP                        1
#define LWIP_TCP                        1
#define LWIP_TCP_KEEPALIVE              1
#define LWIP_TCP_TIMESTAMPS             0
#define TCP_QUEUE_OOSEQ                 1
#define TCP_MSS                         1460
/* TCP timers: fast (delayed ACK) every 50 ms, slow (retransmission) every 100 ms instead
 * of lwIP's 250/500. The RTO is counted in slow ticks and settles at 3 of them on a
 * LAN-fast link, so lwIP's default made every lost segment cost 1.5 s (a 10 MiB download
 * at 5% loss took over 4 minutes, tests/hard/test_faults.py); now ~0.3 s, near Linux's. */
#define TCP_TMR_INTERVAL                50
/* TIME-WAIT lasts 2 MSL: 10 s instead of lwIP's 120 s, so a busy server's
 * closed connections do not pile up against clients reusing their ports. */
#define TCP_MSL                         5000UL
#define TCP_WND                         (44 * TCP_MSS)   /* 64240, no window scaling */
#define TCP_SND_BUF                     (44 * TCP_MSS)
#define TCP_SND_QUEUELEN                ((4 * TCP_SND_BUF + TCP_MSS - 1) / TCP_MSS)
#define MEMP_NUM_TCP_SEG                (4 * TCP_SND_QUEUELEN)
#define TCP_SNDLOWAT                    LWIP_MIN(LWIP_MAX(((TCP_SND_BUF) / 2), (2 * TCP_MSS) + 1), (TCP_SND_BUF) - 1)
#define TCP_OVERSIZE                    TCP_MSS
#define TCP_LISTEN_BACKLOG              1
#define TCP_DEFAULT_LISTEN_BACKLOG      128
#define LWIP_TCP_SACK_OUT               0
#define SO_REUSE                        1
#define SO_REUSE_RXTOALL                0

/* --- IPv6 (dual stack): link-local, SLAAC from router advertisements (QEMU's
 * user-mode network advertises fec0::/64), a static ip6= address, ND and MLD
 * (NETIF_FLAG_MLD6 on every interface). One slot each for link-local, SLAAC
 * and static, one spare. No DHCPv6; RDNSS stays off because lwIP would write
 * the advertised servers over the IPv4 ones from DHCP (dns_setserver from 0). */
#define LWIP_IPV6                       1
#define LWIP_IPV6_NUM_ADDRESSES         4
#define LWIP_IPV6_AUTOCONFIG            1
#define LWIP_IPV6_SEND_ROUTER_SOLICIT   1
#define LWIP_IPV6_MLD                   1
#define LWIP_IPV6_FRAG                  1
#define LWIP_IPV6_REASS                 1
#define IPV6_FRAG_COPYHEADER            1  /* 64-bit pointers do not fit in the fragment header */
#define LWIP_IPV6_DUP_DETECT_ATTEMPTS   1
#define LWIP_ICMP6                      1
#define LWIP_IPV6_DHCP6                 0
#define LWIP_ND6_RDNSS_MAX_DNS_SERVERS  0
#define MEMP_NUM_MLD6_GROUP             16
/* Per-socket multicast group slots (lwIP's default is one per socket, 1024:
 * 32 KiB of bss for IPv6 alone); joins beyond these fail with ENOMEM. */
#ifndef LWIP_SOCKET_MAX_MEMBERSHIPS
#define LWIP_SOCKET_MAX_MEMBERSHIPS     64
#endif
/* gw6=: a static next hop for off-link destinations (net/net_ip6.c). */
#define LWIP_HOOK_FILENAME              "net_hooks.h"
#define LWIP_HOOK_ND6_GET_GW(netif, dest) net_ip6_gateway(netif, dest)

/* --- Network interfaces. */
#define LWIP_NETIF_STATUS_CALLBACK      1
#define LWIP_NETIF_LINK_CALLBACK        1
#define LWIP_NETIF_HOSTNAME             1
#define LWIP_NETIF_API                  0
#define LWIP_NETIF_LOOPBACK             1  /* traffic to our own address */
#define LWIP_HAVE_LOOPIF                1  /* 127.0.0.1 */
#define LWIP_LOOPBACK_MAX_PBUFS         0
#define LWIP_NETIF_TX_SINGLE_PBUF       0
#define LWIP_CHECKSUM_CTRL_PER_NETIF    1
#define LWIP_SINGLE_NETIF               0
#define LWIP_SUPPORT_CUSTOM_PBUF        1  /* zero-copy receive */
#define LWIP_NUM_NETIF_CLIENT_DATA      0

/* --- APIs: netconn and BSD sockets, reached only through libc-shim. */
#define LWIP_NETCONN                    1
#define LWIP_SOCKET                     1
#define LWIP_COMPAT_SOCKETS             0  /* no `socket`, `read`, `close` macros */
#define LWIP_POSIX_SOCKETS_IO_NAMES     0
#define LWIP_SOCKET_OFFSET              0  /* libc-shim's fd table maps fds to these */
#define LWIP_SOCKET_SELECT              1
#define LWIP_SOCKET_POLL                1
#define LWIP_SO_SNDTIMEO                1
#define LWIP_SO_RCVTIMEO                1
#define LWIP_SO_SNDRCVTIMEO_NONSTANDARD 0
#define LWIP_SO_RCVBUF                  1
#define LWIP_SO_LINGER                  1
#define RECV_BUFSIZE_DEFAULT            (1024 * 1024)
#define LWIP_FIONREAD_LINUXMODE         1
#define LWIP_DNS_API_DECLARE_H_ERRNO    0
#define LWIP_DNS_API_DEFINE_ERRORS      1
#define LWIP_DNS_API_DECLARE_STRUCTS    1

/* --- Statistics: only the memory pools' use counts (net_exit.c reads how many packets
 * still wait for address resolution); debugging off. */
#define LWIP_STATS                      1
#define MEMP_STATS                      1
#define LINK_STATS                      0
#define ETHARP_STATS                    0
#define IP_STATS                        0
#define IPFRAG_STATS                    0
#define ICMP_STATS                      0
#define IGMP_STATS                      0
#define UDP_STATS                       0
#define TCP_STATS                       0
#define MEM_STATS                       0
#define SYS_STATS                       0
#define IP6_STATS                       0
#define ICMP6_STATS                     0
#define IP6_FRAG_STATS                  0
#define MLD6_STATS                      0
#define ND6_STATS                       0
#define MIB2_STATS                      0
#define LWIP_STATS_DISPLAY              0
#define LWIP_DEBUG                      0
#define LWIP_PERF                       0

#endif
