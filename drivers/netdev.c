/* The network device table: drivers register, the stack finds them (netdev_get). */
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
