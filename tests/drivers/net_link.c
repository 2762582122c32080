/* Driver test: link down/up (VIRTIO_NET_F_STATUS, config-change interrupt) reaches the link callback. */
#include <stdio.h>
#include <skiff/clock.h>
#include <skiff/netdev.h>
#include <skiff/sync.h>

static struct sk_sem changed;
static volatile int events[8], nevents;

static void on_rx(struct netdev *d, struct netdev_rxbuf *rxb, void *arg)
{
	(void)arg;
	for (struct netdev_rxbuf *b = rxb, *n; b; b = n) {
		n = b->next;
		netdev_rx_free(d, b);
	}
}

static void on_link(struct netdev *d, int up, void *arg)
{
	(void)d, (void)arg;
	if (nevents < 8)
		events[nevents++] = up;
	sk_sem_up(&changed);
}

int main(void)
{
	sk_sem_init(&changed, 0);
	struct netdev *nd = netdev_get(0);
	struct netdev_callbacks cb = { .rx = on_rx, .link = on_link };
	if (!nd || netdev_start(nd, &cb)) {
		printf("FAIL no network device\n");
		return 1;
	}
	printf("ready: features %#x link %d\n", (unsigned)nd->features, nd->link_up);
	fflush(stdout);
	uint64_t deadline = clock_monotonic_ns() + 20000000000ull;
	for (int i = 0; i < 2; i++) {
		if (sk_sem_down_until(&changed, deadline)) {
			printf("FAIL %d link events\n", nevents);
			return 1;
		}
		printf("link %s\n", events[i] ? "up" : "down");
		fflush(stdout);
	}
	int ok = (nd->features & NETDEV_F_LINK) && events[0] == 0 && events[1] == 1 && nd->link_up;
	printf("link events: %d then %d\n%s\n", events[0], events[1], ok ? "SUCCESS" : "FAILED");
	return ok ? 0 : 1;
}
