/* IPv4 header constants some programs include for IPTOS_* values. */
#ifndef SKIFF_NETINET_IP_H
#define SKIFF_NETINET_IP_H

#include <netinet/in.h>

#define IPTOS_LOWDELAY 0x10
#define IPTOS_THROUGHPUT 0x08
#define IPTOS_RELIABILITY 0x04

#endif
