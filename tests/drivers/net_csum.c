/* Driver test over tap (vnet_hdr): TX checksum offload (a SYN gets the host's RST) and RX partial checksums. */
/* The harness also has the host connect() to 10.9.0.2:7: Linux hands such SYNs to the tap with a
 * partial checksum (VIRTIO_NET_HDR_F_NEEDS_CSUM), which the driver must complete. */
#include <stdio.h>
#include <string.h>
#include <skiff/clock.h>
#include <skiff/netdev.h>
#include <skiff/sync.h>

#include <skiff/inet_sum.h>

/* The test puts the tap in a network namespace as 10.9.0.1/24; we are 10.9.0.2. */
static const uint8_t host_ip[4] = { 10, 9, 0, 1 }, my_ip[4] = { 10, 9, 0, 2 };
static uint8_t host_mac[6];
static struct netdev *nd;
static struct sk_sem got_arp, got_rst, got_syn;
static volatile int rst_flags, rst_csum_ok_flag, rst_csum_valid, arp_answered;
static volatile int syn_csum_ok_flag, syn_csum_valid;

/* Pseudo-header (RFC 793): addresses, protocol, TCP length. */
static uint32_t pseudo(const uint8_t *src, const uint8_t *dst, unsigned len)
{
	uint8_t ph[12] = { 0 };
	memcpy(ph, src, 4);
	memcpy(ph + 4, dst, 4);
	ph[9] = 6;
	ph[10] = (uint8_t)(len >> 8);
	ph[11] = (uint8_t)len;
	return inet_sum16(0, ph, 12);
}

static void send_copy(const uint8_t *f, size_t n, const struct netdev_txmeta *meta)
{
	struct netdev_sg sg = { f, n };
	int err = netdev_xmit(nd, &sg, 1, meta, 0);
	if (err)
		printf("FAIL xmit: %d\n", err);
}

static void arp(uint8_t op, const uint8_t *dst_mac, const uint8_t *target_mac, uint8_t *f)
{
	static const uint8_t head[] = { 0x00, 0x01, 0x08, 0x00, 6, 4, 0x00, 0 };
	memcpy(f, dst_mac, 6);
	memcpy(f + 6, nd->mac, 6);
	f[12] = 0x08, f[13] = 0x06;
	memcpy(f + 14, head, sizeof(head));
	f[21] = op;
	memcpy(f + 22, nd->mac, 6);
	memcpy(f + 28, my_ip, 4);
	memcpy(f + 32, target_mac, 6);
	memcpy(f + 38, host_ip, 4);
	memset(f + 42, 0, 18);
}

static void on_rx(struct netdev *d, struct netdev_rxbuf *rxb, void *arg)
{
	(void)arg;
	const uint8_t *f = rxb->data;
	unsigned len = rxb->len;
	if (len >= 42 && f[12] == 0x08 && f[13] == 0x06 && memcmp(f + 28, host_ip, 4) == 0 &&
	    memcmp(f + 38, my_ip, 4) == 0) {
		if (f[21] == 2) { /* reply to ours */
			memcpy(host_mac, f + 22, 6);
			sk_sem_up(&got_arp);
		} else if (f[21] == 1) { /* the host asks for us: answer from the driver thread */
			uint8_t r[60];
			arp(2, f + 22, f + 22, r);
			send_copy(r, sizeof(r), 0);
			arp_answered++;
		}
	} else if (len >= 54 && f[12] == 0x08 && f[13] == 0x00 && f[23] == 6 &&
		   memcmp(f + 26, host_ip, 4) == 0) {
		unsigned ihl = (f[14] & 15) * 4, tot = (unsigned)f[16] << 8 | f[17];
		const uint8_t *tcp = f + 14 + ihl;
		unsigned tcplen = tot - ihl;
		int valid = inet_fold(inet_sum16(pseudo(f + 26, f + 30, tcplen), tcp, tcplen)) == 0xffff;
		if (tcp[2] == 0 && tcp[3] == 7 && tcp[13] == 0x02) { /* the host's SYN to port 7 */
			syn_csum_ok_flag = (rxb->flags & NETDEV_RX_CSUM_OK) != 0;
			syn_csum_valid = valid;
			sk_sem_up(&got_syn);
		}
		if (tcp[0] == 0 && tcp[1] == 9) { /* from port 9 */
			rst_flags = tcp[13];
			rst_csum_ok_flag = (rxb->flags & NETDEV_RX_CSUM_OK) != 0;
			rst_csum_valid = valid;
			sk_sem_up(&got_rst);
		}
	}
	for (struct netdev_rxbuf *b = rxb, *next; b; b = next) {
		next = b->next;
		netdev_rx_free(d, b);
	}
}

int main(void)
{
	sk_sem_init(&got_arp, 0);
	sk_sem_init(&got_rst, 0);
	sk_sem_init(&got_syn, 0);
	nd = netdev_get(0);
	if (!nd) {
		printf("FAIL no network device\n");
		return 1;
	}
	printf("%s: features %#x (tx csum %d, rx csum %d)\n", nd->name, (unsigned)nd->features,
	       !!(nd->features & NETDEV_F_TX_CSUM), !!(nd->features & NETDEV_F_RX_CSUM));
	struct netdev_callbacks cb = { .rx = on_rx };
	if (netdev_start(nd, &cb)) {
		printf("FAIL start\n");
		return 1;
	}
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff }, zero[6] = { 0 };
	uint8_t f[60];
	int ok = 0;
	for (int tries = 0; tries < 5 && !ok; tries++) {
		arp(1, bcast, zero, f);
		send_copy(f, sizeof(f), 0);
		ok = sk_sem_down_until(&got_arp, clock_monotonic_ns() + 1000000000ull) == 0;
	}
	if (!ok) {
		printf("FAIL no ARP reply from 10.9.0.1\n");
		return 1;
	}
	printf("ok arp: host is %02x:%02x:%02x:%02x:%02x:%02x\n", host_mac[0], host_mac[1],
	       host_mac[2], host_mac[3], host_mac[4], host_mac[5]);

	/* TCP SYN 10.9.0.2:40000 -> 10.9.0.1:9, checksum left to the device. */
	uint8_t s[54] = { 0 };
	memcpy(s, host_mac, 6);
	memcpy(s + 6, nd->mac, 6);
	s[12] = 0x08;
	uint8_t *ip = s + 14, *tcp = s + 34;
	ip[0] = 0x45, ip[3] = 40, ip[8] = 64, ip[9] = 6;
	memcpy(ip + 12, my_ip, 4);
	memcpy(ip + 16, host_ip, 4);
	uint16_t ic = (uint16_t)~inet_fold(inet_sum16(0, ip, 20));
	ip[10] = (uint8_t)(ic >> 8), ip[11] = (uint8_t)ic;
	tcp[0] = 40000 >> 8, tcp[1] = 40000 & 255, tcp[3] = 9;
	tcp[4] = 0x12, tcp[5] = 0x34, tcp[6] = 0x56, tcp[7] = 0x78; /* seq */
	tcp[12] = 5 << 4, tcp[13] = 0x02, tcp[14] = 0xff, tcp[15] = 0xff;
	int offload = (nd->features & NETDEV_F_TX_CSUM) != 0;
	struct netdev_txmeta meta = { NETDEV_TX_NEEDS_CSUM, 34, 16 };
	uint16_t c = offload ? inet_fold(pseudo(my_ip, host_ip, 20))
			     : (uint16_t)~inet_fold(inet_sum16(pseudo(my_ip, host_ip, 20), tcp, 20));
	tcp[16] = (uint8_t)(c >> 8), tcp[17] = (uint8_t)c;
	send_copy(s, sizeof(s), offload ? &meta : 0);
	if (sk_sem_down_until(&got_rst, clock_monotonic_ns() + 3000000000ull)) {
		printf("FAIL no answer to the SYN (checksum %s)\n", offload ? "offloaded" : "software");
		return 1;
	}
	printf("%s answer to SYN: flags %#x, checksum valid %d, CSUM_OK flag %d, arp answered %d\n",
	       rst_csum_valid ? "ok" : "FAIL", rst_flags, rst_csum_valid, rst_csum_ok_flag,
	       arp_answered);
	int pass = rst_csum_valid && (rst_flags & 0x04) && offload;
	if (sk_sem_down_until(&got_syn, clock_monotonic_ns() + 8000000000ull)) {
		printf("FAIL no SYN from the host to port 7\n");
		pass = 0;
	} else {
		printf("%s host's SYN: checksum valid %d, CSUM_OK flag %d\n",
		       syn_csum_valid ? "ok" : "FAIL", syn_csum_valid, syn_csum_ok_flag);
		pass = pass && syn_csum_valid;
	}
	if (!offload)
		printf("FAIL the device offered no checksum offload\n");
	printf("%s\n", pass ? "SUCCESS" : "FAILED");
	return pass ? 0 : 1;
}
