/* Driver discovery: transports find devices, drivers_probe() runs them once, drivers attach. */
#ifndef SKIFF_DRIVERS_PROBE_H
#define SKIFF_DRIVERS_PROBE_H

struct virtio_dev;

/* Probe every transport once (first netdev_get/blkdev_get; later calls
 * return at once). Thread context. With the `bootstat` kernel argument it
 * logs how long probing took. */
void drivers_probe(void);

/* A transport found a virtio device: hand it to its driver. 0 when a driver
 * took it (and now owns vd), else -errno (the transport frees vd). */
int virtio_attach(struct virtio_dev *vd);

/* Transports: scan and attach; return the number of devices attached. */
int virtio_mmio_probe(void);
int virtio_pci_probe(void);
/* Is there a PCI host bridge answering on ports 0xcf8/0xcfc? */
int pci_present(void);

/* Drivers. probe.c refers to them weakly: an image links virtio-net only
 * when it uses netdev_get (netdev.c refers to it), virtio-blk only with
 * blkdev_get. 0 when attached, else -errno with the device reset. */
int virtio_net_attach(struct virtio_dev *vd);
int virtio_blk_attach(struct virtio_dev *vd);
int virtio_console_attach(struct virtio_dev *vd); /* hostcon_* (virtio_console.c) links it */
int virtio_9p_attach(struct virtio_dev *vd);      /* p9dev_get (p9dev.c) links it */

#endif
