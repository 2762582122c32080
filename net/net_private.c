/* Private-network NICs (skiff run --network): `nic=MAC,A.B.C.D/LEN` kernel arguments give the NIC with that MAC a static address. */
#include <errno.h>
#include <string.h>

#include <skiff/boot.h>
#include <skiff/console.h>
#include <skiff/netdev.h>
#include "lwip/igmp.h"
#include "lwip/ip4.h"
#include "lwip/ip4_addr.h"
#include "net_internal.h"

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* "52:54:00:12:34:56" (exactly 17 characters) into mac[6]; 0 or -1. */
static int parse_mac(const char *s, uint8_t mac[6])
{
	for (int i = 0; i < 6; i++) {
		int hi = hexval(s[3 * i]), lo = hexval(s[3 * i + 1]);
		char sep = s[3 * i + 2];
		if (hi < 0 || lo < 0 || (i < 5 ? sep != ':' : sep != ','))
			return -1;
		mac[i] = (uint8_t)(hi << 4 | lo);
	}
	return 0;
}

/* One `nic=` value: MAC,A.B.C.D/LEN. 0 or -1. */
static int parse_nic(const char *v, struct net_nic *nic)
{
	char buf[20];
	unsigned prefix = 0;

	if (strlen(v) < 18 || parse_mac(v, nic->mac))
		return -1;
	const char *addr = v + 18, *slash = strchr(addr, '/');
	size_t len = slash ? (size_t)(slash - addr) : 0;
	if (!slash || len == 0 || len >= sizeof(buf) || !slash[1])
		return -1;
	memcpy(buf, addr, len);
	buf[len] = '\0';
	if (!ip4addr_aton(buf, &nic->ip))
		return -1;
	for (const char *p = slash + 1; *p; p++)
		if (*p < '0' || *p > '9' || (prefix = prefix * 10 + (unsigned)(*p - '0')) > 32)
			return -1;
	if (prefix == 0)
		return -1;
	ip4_addr_set_u32(&nic->netmask, lwip_htonl(0xffffffffu << (32 - prefix)));
	nic->prefix = prefix;
	return 0;
}

int net_private_read(struct net_nic *nics, int max)
{
	const char *w;
	int n = 0;

	for (int i = 0; (w = boot_karg_word(i)); i++) {
		if (strncmp(w, "nic=", 4) != 0)
			continue;
		if (n == max || parse_nic(w + 4, &nics[n])) {
			klog("skiff: net: malformed kernel argument %s (nic=MAC,A.B.C.D/LEN, at most %d)\n",
			     w, max);
			return -EINVAL;
		}
		n++;
	}
	return n;
}

const struct net_nic *net_private_find(const struct net_nic *nics, int n, const uint8_t mac[6])
{
	for (int i = 0; i < n; i++)
		if (memcmp(nics[i].mac, mac, 6) == 0)
			return &nics[i];
	return 0;
}

/* Core lock held. Static address, no gateway: the prefix routes to this NIC. */
void net_private_configure(struct netif_skiff *ns, const struct net_nic *nic)
{
	netif_set_addr(&ns->netif, &nic->ip, &nic->netmask, IP4_ADDR_ANY4);
	klog("skiff: net: %s %s/%u (private network)\n", ns->nd->name, ip4addr_ntoa(&nic->ip),
	     nic->prefix);
}
