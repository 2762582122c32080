/* drivers_probe(): run once, lazily, by the first netdev_get/blkdev_get/hostcon_present; PCI or microvm's MMIO window. */
#include <skiff/boot.h>
#include <skiff/clock.h>
#include <skiff/console.h>
#include <skiff/sync.h>
#include <skiff/io.h>
#include "kerrno.h"
#include "pci.h"
#include "probe.h"
#include "virtio.h"

extern int virtio_net_attach(struct virtio_dev *vd) __attribute__((weak));
extern int virtio_blk_attach(struct virtio_dev *vd) __attribute__((weak));
extern int virtio_console_attach(struct virtio_dev *vd) __attribute__((weak));
extern int virtio_9p_attach(struct virtio_dev *vd) __attribute__((weak));

static struct sk_mutex probe_lock = SK_MUTEX_INIT;
static int probed; /* under probe_lock */

/* What was attached, logged after the probe is timed (under probe_lock). */
#define SEEN_MAX 24
static struct virtio_dev *seen[SEEN_MAX];
static int nseen;

int virtio_attach(struct virtio_dev *vd)
{
	int (*attach)(struct virtio_dev *) = 0;
	if (vd->device_id == VIRTIO_ID_NET)
		attach = virtio_net_attach;
	else if (vd->device_id == VIRTIO_ID_BLK)
		attach = virtio_blk_attach;
	else if (vd->device_id == VIRTIO_ID_CONSOLE)
		attach = virtio_console_attach;
	else if (vd->device_id == VIRTIO_ID_9P)
		attach = virtio_9p_attach;
	if (!attach)
		return -ENODEV; /* no driver for it, or not linked into this image */
	int err = attach(vd);
	if (err == 0 && nseen < SEEN_MAX)
		seen[nseen++] = vd;
	return err;
}

void drivers_probe(void)
{
	sk_mutex_lock(&probe_lock);
	if (probed) {
		sk_mutex_unlock(&probe_lock);
		return;
	}
	probed = 1;
	uint64_t t0 = io_rdtsc();
	/* pc and q35 have a PCI host bridge; microvm has none, and there
	 * 0xfeb00000 is its virtio-mmio window rather than PCI BAR space. */
	int pci = pci_present();
	int n = pci ? virtio_pci_probe() : virtio_mmio_probe();
	uint64_t ticks = io_rdtsc() - t0;
	if (boot_karg("bootstat")) {
		uint64_t hz = clock_tsc_hz();
		unsigned long us = hz ? (unsigned long)(ticks * 1000000 / hz) : 0;
		klog("skiff: drivers: %d device(s) via %s%s in %lu us (%lu TSC ticks)\n", n,
		     pci ? "pci, config space through " : "virtio-mmio",
		     pci ? pci_config_access() : "", us, (unsigned long)ticks);
		for (int i = 0; i < nseen; i++)
			klog("skiff: drivers: %s: virtio %s device %u, %s\n", virtio_where(seen[i]),
			     seen[i]->legacy ? "legacy" : "modern", seen[i]->device_id,
			     seen[i]->irq[0] ? seen[i]->irq : "interrupt attached when first waited for");
	}
	sk_mutex_unlock(&probe_lock);
}
