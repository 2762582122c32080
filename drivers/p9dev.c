/* The 9P device table and p9dev_rpc (include/skiff/p9dev.h). */
#include <skiff/p9dev.h>
#include "kerrno.h"
#include "probe.h"

#define P9DEV_MAX 16

/* Written during drivers_probe (under its lock), read-only afterwards. */
static struct p9dev *devs[P9DEV_MAX];
static unsigned ndevs;

/* Linking p9dev_get links the virtio-9p driver (probe.c names it weakly). */
static int (*const keep_driver)(struct virtio_dev *) __attribute__((used)) = virtio_9p_attach;

int p9dev_register(struct p9dev *d)
{
	if (ndevs == P9DEV_MAX)
		return -ENOSPC;
	devs[ndevs++] = d;
	return 0;
}

struct p9dev *p9dev_get(unsigned index)
{
	drivers_probe();
	return index < ndevs ? devs[index] : 0;
}

long p9dev_rpc(struct p9dev *d, const struct p9_seg *out, unsigned nout, const struct p9_seg *in,
	       unsigned nin)
{
	return d->rpc(d, out, nout, in, nin);
}
