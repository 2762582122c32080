/* IPv4 addressing from the kernel arguments: ip=A.B.C.D[/LEN] netmask= gw= dns=A[,B]; DHCP without ip=. */
#include <errno.h>
#include <string.h>

#include <skiff/boot.h>
#include <skiff/console.h>
#include "lwip/ip4_addr.h"
#include "net_internal.h"

#define DEFAULT_PREFIX 24

static int bad(const char *name, const char *value)
{
	klog("skiff: net: malformed kernel argument %s=%s\n", name, value);
	return -EINVAL;
}

/* One dotted quad from s[0..len) into *out; 0 or -1. */
static int parse_addr(const char *s, size_t len, ip4_addr_t *out)
{
	char buf[16];

	if (len == 0 || len >= sizeof(buf))
		return -1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	return ip4addr_aton(buf, out) ? 0 : -1;
}

static int parse_prefix(const char *s, unsigned *prefix)
{
	unsigned v = 0;

	if (!*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || (v = v * 10 + (unsigned)(*s - '0')) > 32)
			return -1;
	}
	*prefix = v;
	return 0;
}

static int read_ip(struct net_config *cfg)
{
	const char *v = boot_karg("ip");
	unsigned prefix = DEFAULT_PREFIX;

	if (!v || !*v || strcmp(v, "dhcp") == 0) {
		cfg->dhcp = 1;
		return 0;
	}
	const char *slash = strchr(v, '/');
	size_t len = slash ? (size_t)(slash - v) : strlen(v);
	if (parse_addr(v, len, &cfg->ip) || (slash && parse_prefix(slash + 1, &prefix)))
		return bad("ip", v);
	ip4_addr_set_u32(&cfg->netmask, prefix ? lwip_htonl(0xffffffffu << (32 - prefix)) : 0);
	return 0;
}

int net_config_read(struct net_config *cfg)
{
	const char *v;

	memset(cfg, 0, sizeof(*cfg));
	if (read_ip(cfg))
		return -EINVAL;
	if ((v = boot_karg("netmask")) && parse_addr(v, strlen(v), &cfg->netmask))
		return bad("netmask", v);
	if ((v = boot_karg("gw")) && parse_addr(v, strlen(v), &cfg->gw))
		return bad("gw", v);
	if ((v = boot_karg("dns"))) {
		const char *s = v;
		while (*s) {
			const char *comma = strchr(s, ',');
			size_t len = comma ? (size_t)(comma - s) : strlen(s);
			if (cfg->ndns == 2 || parse_addr(s, len, &cfg->dns[cfg->ndns]))
				return bad("dns", v);
			cfg->ndns++;
			s += len + (comma ? 1 : 0);
		}
	}
	return 0;
}
