/* Internet checksums of IPv4 Ethernet frames for the netrx target: made right on the way in, checked on the way out. */
#include "netrx.h"
#include <skiff/inet_sum.h>

#define ETH_HLEN 14

/* An IPv4 datagram inside an Ethernet frame; l4 is NULL for fragments
 * other than a whole datagram (their L4 checksum spans several frames). */
struct ip4 {
	uint8_t *ip, *l4;
	size_t ihl, l4len;
	uint8_t proto;
};

static int ip4_view(const uint8_t *frame, size_t len, struct ip4 *v)
{
	uint8_t *f = (uint8_t *)frame;

	if (len < ETH_HLEN + 20 || f[12] != 0x08 || f[13] != 0x00 || (f[14] >> 4) != 4)
		return 0;
	v->ip = f + ETH_HLEN;
	v->ihl = (v->ip[0] & 0x0fu) * 4u;
	size_t total = (size_t)v->ip[2] << 8 | v->ip[3];
	if (v->ihl < 20 || total < v->ihl || total > len - ETH_HLEN)
		return 0;
	v->proto = v->ip[9];
	int frag = (v->ip[6] & 0x20) || ((v->ip[6] & 0x1f) | v->ip[7]);
	v->l4 = frag ? NULL : v->ip + v->ihl;
	v->l4len = total - v->ihl;
	return 1;
}

/* Offset of the L4 checksum field and whether a pseudo-header is summed;
 * -1 for protocols without one we know, or too short a header. */
static int l4_field(const struct ip4 *v, int *pseudo)
{
	*pseudo = 1;
	if (v->proto == 6 && v->l4len >= 20)
		return 16;
	if (v->proto == 17 && v->l4len >= 8)
		return 6;
	*pseudo = 0;
	if (v->proto == 1 && v->l4len >= 4)
		return 2;
	return -1;
}

static uint16_t l4_sum(const struct ip4 *v, int pseudo)
{
	uint32_t s = inet_sum16(0, v->l4, v->l4len);
	if (pseudo)
		s = inet_sum16(s, v->ip + 12, 8) + v->proto + (uint32_t)v->l4len;
	return inet_fold(s);
}

void netrx_fix_csums(uint8_t *frame, size_t len)
{
	struct ip4 v;
	int pseudo, at;

	if (!ip4_view(frame, len, &v))
		return;
	v.ip[10] = v.ip[11] = 0;
	uint16_t c = (uint16_t)~inet_fold(inet_sum16(0, v.ip, v.ihl));
	v.ip[10] = (uint8_t)(c >> 8);
	v.ip[11] = (uint8_t)c;
	if (!v.l4 || (at = l4_field(&v, &pseudo)) < 0)
		return;
	v.l4[at] = v.l4[at + 1] = 0;
	c = (uint16_t)~l4_sum(&v, pseudo);
	if (c == 0 && v.proto == 17)
		c = 0xffff; /* UDP: 0 means "no checksum" */
	v.l4[at] = (uint8_t)(c >> 8);
	v.l4[at + 1] = (uint8_t)c;
}

const char *netrx_check_csums(const uint8_t *frame, size_t len)
{
	struct ip4 v;
	int pseudo, at;

	if (len >= ETH_HLEN && frame[12] == 0x08 && frame[13] == 0x00 && !ip4_view(frame, len, &v))
		return "malformed IPv4 header";
	if (len < ETH_HLEN || frame[12] != 0x08 || frame[13] != 0x00)
		return NULL; /* ARP */
	if (inet_fold(inet_sum16(0, v.ip, v.ihl)) != 0xffff)
		return "IPv4 header checksum";
	if (!v.l4 || (at = l4_field(&v, &pseudo)) < 0)
		return NULL;
	if (v.proto == 17 && v.l4[6] == 0 && v.l4[7] == 0)
		return NULL;
	if (l4_sum(&v, pseudo) != 0xffff)
		return v.proto == 6 ? "TCP checksum" : v.proto == 17 ? "UDP checksum" : "ICMP checksum";
	return NULL;
}
