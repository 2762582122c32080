/* IPv6 addressing from the kernel arguments: ip6=ADDR[/64] gw6=ADDR (SLAAC and link-local need none). */
#include <errno.h>
#include <string.h>

#include <skiff/boot.h>
#include <skiff/console.h>
#include "lwip/ip6_addr.h"
#include "net_internal.h"

static int bad(const char *name, const char *value, const char *why)
{
	klog("skiff: net: malformed kernel argument %s=%s (%s)\n", name, value, why);
	return -EINVAL;
}

/* One address from s[0..len) into *out; 0 or -1. */
static int parse_addr6(const char *s, size_t len, ip6_addr_t *out)
{
	char buf[48];

	if (len == 0 || len >= sizeof(buf))
		return -1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	if (!ip6addr_aton(buf, out))
		return -1;
	ip6_addr_clear_zone(out);
	return 0;
}

static int read_ip6(struct net_config6 *cfg)
{
	const char *v = boot_karg("ip6");

	if (!v || !*v)
		return 0;
	const char *slash = strchr(v, '/');
	size_t len = slash ? (size_t)(slash - v) : strlen(v);
	if (parse_addr6(v, len, &cfg->ip6))
		return bad("ip6", v, "not an IPv6 address");
	/* lwIP treats a global address's /64 as on-link (ip6_addr_net_eq) and
	 * nothing else, so other lengths would route differently from what was asked. */
	if (slash && strcmp(slash + 1, "64") != 0)
		return bad("ip6", v, "the prefix length must be 64");
	if (ip6_addr_isany(&cfg->ip6) || ip6_addr_ismulticast(&cfg->ip6) ||
	    ip6_addr_isloopback(&cfg->ip6) || ip6_addr_islinklocal(&cfg->ip6) ||
	    ip6_addr_isipv4mappedipv6(&cfg->ip6))
		return bad("ip6", v, "not a unicast global or site address");
	cfg->have_ip6 = 1;
	return 0;
}

int net_config6_read(struct net_config6 *cfg)
{
	const char *v;

	memset(cfg, 0, sizeof(*cfg));
	if (read_ip6(cfg))
		return -EINVAL;
	if ((v = boot_karg("gw6"))) {
		if (parse_addr6(v, strlen(v), &cfg->gw6) || ip6_addr_isany(&cfg->gw6) ||
		    ip6_addr_ismulticast(&cfg->gw6))
			return bad("gw6", v, "not a unicast IPv6 address");
		cfg->have_gw6 = 1;
	}
	return 0;
}
