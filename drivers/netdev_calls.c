/* The stack's calls into a network device (include/skiff/netdev.h), their checks, then the driver's ops; pure, linked by the host doubles too. */
#include <skiff/netdev.h>
#include "kerrno.h"

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

unsigned netdev_tx_pending(struct netdev *nd)
{
	if (!nd->started || !nd->ops->tx_pending)
		return 0;
	return nd->ops->tx_pending(nd);
}
