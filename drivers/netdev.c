/* The network device table and the user-side calls of include/skiff/netdev.h. */
#include <skiff/netdev.h>
#include "kerrno.h"
#include "probe.h"

#define NETDEV_MAX 4

/* Written during drivers_probe (under its lock), read-only afterwards. */
static struct netdev *devs[NETDEV_MAX];
static unsigned ndevs;

/* Linking netdev_get links the virtio-net driver (probe.c names it weakly). */
static int (*const keep_driver)(struct virtio_dev *) __attribute__((used)) = virtio_net_attach;

int netdev_register(struct netdev *nd)
{
	if (ndevs == NETDEV_MAX)
		return -ENOSPC;
	__builtin_memcpy(nd->name, "net", 3);
	nd->name[3] = (char)('0' + ndevs);
	nd->name[4] = 0;
	devs[ndevs++] = nd;
	return 0;
}

struct netdev *netdev_get(unsigned index)
{
	drivers_probe();
	return index < ndevs ? devs[index] : 0;
}

int netdev_start(struct netdev *nd, const struct netdev_callbacks *cb)
{
	if (!cb || !cb->rx)
		return -EINVAL;
	if (nd->started)
		return -EBUSY;
	nd->cb = *cb;
	int err = nd->ops->start(nd);
	if (err == 0)
		nd->started = 1;
	return err;
}

int netdev_xmit(struct netdev *nd, const struct netdev_sg *sg, unsigned nsg,
		const struct netdev_txmeta *meta, void *cookie)
{
	if (!nd->started)
		return -ENETDOWN;
	if (nsg == 0 || nsg > NETDEV_SG_MAX)
		return -EMSGSIZE;
	if (meta && (meta->flags & NETDEV_TX_NEEDS_CSUM) && !(nd->features & NETDEV_F_TX_CSUM))
		return -EINVAL;
	return nd->ops->xmit(nd, sg, nsg, meta, cookie);
}

void netdev_rx_free(struct netdev *nd, struct netdev_rxbuf *rxb)
{
	nd->ops->rx_free(nd, rxb);
}
