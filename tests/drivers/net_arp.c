/* Driver test (not an app: calls the netdev API): ARP to slirp's gateway, in place and copied, gets replies. */
/* Usage: drv_net [copy]  (copy: start without tx_done, so the driver copies every frame) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <skiff/clock.h>
#include <skiff/netdev.h>
#include <skiff/sync.h>

static const uint8_t gw_ip[4] = { 10, 0, 2, 2 }, my_ip[4] = { 10, 0, 2, 15 };
static struct sk_sem replies, tx_done_sem;
static volatile int arp_replies, other_frames, tx_done_calls;
static struct netdev *nd;

static void on_rx(struct netdev *d, struct netdev_rxbuf *rxb, void *arg)
{
	(void)arg;
	const uint8_t *f = rxb->data;
	if (rxb->len >= 42 && f[12] == 0x08 && f[13] == 0x06 && f[21] == 2 &&
	    memcmp(f + 28, gw_ip, 4) == 0 && memcmp(f + 32, nd->mac, 6) == 0) {
		if (++arp_replies <= 2)
			printf("arp reply: 10.0.2.2 is at %02x:%02x:%02x:%02x:%02x:%02x (%u bytes)\n", f[22],
		       f[23], f[24], f[25], f[26], f[27], rxb->len);
		sk_sem_up(&replies);
	} else {
		other_frames++;
	}
	for (struct netdev_rxbuf *b = rxb, *next; b; b = next) {
		next = b->next;
		netdev_rx_free(d, b);
	}
}

static void on_tx_done(struct netdev *d, void *cookie, void *arg)
{
	(void)d, (void)arg, (void)cookie;
	tx_done_calls++;
	sk_sem_up(&tx_done_sem);
}

static void arp_request(uint8_t *f)
{
	static const uint8_t head[] = { 0x00, 0x01, 0x08, 0x00, 6, 4, 0x00, 0x01 };
	memset(f, 0xff, 6);                      /* broadcast */
	memcpy(f + 6, nd->mac, 6);
	f[12] = 0x08, f[13] = 0x06;              /* ARP */
	memcpy(f + 14, head, sizeof(head));      /* Ethernet/IPv4, request */
	memcpy(f + 22, nd->mac, 6);
	memcpy(f + 28, my_ip, 4);
	memset(f + 32, 0, 6);
	memcpy(f + 38, gw_ip, 4);
	memset(f + 42, 0, 18);                   /* pad to 60 bytes */
}

static int wait_reply(int want, const char *what)
{
	uint64_t deadline = clock_monotonic_ns() + 5000000000ull;
	if (sk_sem_down_until(&replies, deadline)) {
		printf("FAIL %s: no ARP reply within 5 s (%d other frames)\n", what, other_frames);
		return 1;
	}
	if (arp_replies != want) {
		printf("FAIL %s: %d replies, want %d\n", what, arp_replies, want);
		return 1;
	}
	printf("ok %s\n", what);
	return 0;
}

int main(int argc, char **argv)
{
	int copy = argc > 1 && strcmp(argv[1], "copy") == 0;
	sk_sem_init(&replies, 0);
	sk_sem_init(&tx_done_sem, 0);
	nd = netdev_get(0);
	if (!nd) {
		printf("FAIL no network device\n");
		return 1;
	}
	printf("%s: mac %02x:%02x:%02x:%02x:%02x:%02x mtu %u features %#x link %d\n", nd->name,
	       nd->mac[0], nd->mac[1], nd->mac[2], nd->mac[3], nd->mac[4], nd->mac[5], nd->mtu,
	       (unsigned)nd->features, nd->link_up);
	if (netdev_get(1))
		printf("note: more than one network device\n");
	struct netdev_callbacks cb = { .rx = on_rx, .tx_done = copy ? 0 : on_tx_done, .arg = 0 };
	int err = netdev_start(nd, &cb);
	if (err || netdev_start(nd, &cb) != -16 /* EBUSY */) {
		printf("FAIL netdev_start: %d\n", err);
		return 1;
	}
	int fails = 0;

	/* 1: one segment, static memory (identity-mapped), sent in place. */
	static uint8_t frame[60];
	arp_request(frame);
	struct netdev_sg sg1 = { frame, sizeof(frame) };
	err = netdev_xmit(nd, &sg1, 1, 0, frame);
	if (err)
		printf("FAIL xmit 1: %d\n", err), fails++;
	fails += wait_reply(1, "in-place frame from static memory");
	if (!copy && sk_sem_down_until(&tx_done_sem, clock_monotonic_ns() + 5000000000ull))
		printf("FAIL tx_done never called\n"), fails++;

	/* 2: two segments from the heap (not identity-mapped), the second one
	 * straddling a page boundary. */
	uint8_t *heap = malloc(3 * 4096);
	uint8_t *seg2 = (uint8_t *)(((uintptr_t)heap + 4096) & ~4095ul) + 4096 - 20;
	uint8_t tmp[60];
	arp_request(tmp);
	memcpy(heap, tmp, 14);
	memcpy(seg2, tmp + 14, 46);
	struct netdev_sg sg2[2] = { { heap, 14 }, { seg2, 46 } };
	err = netdev_xmit(nd, sg2, 2, 0, heap);
	if (err)
		printf("FAIL xmit 2: %d\n", err), fails++;
	fails += wait_reply(2, "in-place frame from the heap, 2 segments across a page");

	/* 3: too long, and too many segments. */
	if (netdev_xmit(nd, &(struct netdev_sg){ heap, 1600 }, 1, 0, heap) != -122)
		printf("FAIL oversized frame accepted\n"), fails++;
	else
		printf("ok oversized frame refused\n");

	/* 4: a burst larger than the ring, to exercise waiting and reclaim. */
	for (int i = 0; i < 600; i++) {
		err = netdev_xmit(nd, &sg1, 1, 0, frame);
		if (err) {
			printf("FAIL burst xmit %d: %d\n", i, err);
			fails++;
			break;
		}
	}
	uint64_t deadline = clock_monotonic_ns() + 10000000000ull;
	while (arp_replies < 602 && clock_monotonic_ns() < deadline)
		sk_sem_down_until(&replies, deadline);
	printf("%s burst: %d of 600 replies, %d tx_done calls\n", arp_replies >= 602 ? "ok" : "FAIL",
	       arp_replies - 2, tx_done_calls);
	fails += arp_replies < 602;
	if (tx_done_calls != (copy ? 0 : 602))
		printf("FAIL %d tx_done calls, want %d\n", tx_done_calls, copy ? 0 : 602), fails++;
	printf("%s\n", fails ? "FAILED" : "SUCCESS");
	return fails ? 1 : 0;
}
