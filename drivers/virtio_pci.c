/* virtio over PCI (virtio 1.x §4.1): modern via vendor capabilities, legacy via BAR0 I/O; MSI-X or INTx. */
#include <skiff/console.h>
#include <skiff/irq.h>
#include <skiff/io.h>
#include "kerrno.h"
#include "pci.h"
#include "probe.h"
#include "virtio.h"

#define VIRTIO_PCI_VENDOR 0x1af4

/* §4.1.4 Virtio Structure PCI Capabilities: cfg_type */
#define CAP_COMMON 1
#define CAP_NOTIFY 2
#define CAP_ISR    3
#define CAP_DEVICE 4

/* §4.1.4.3 Common configuration structure layout */
#define C_DFSELECT   0x00
#define C_DF         0x04
#define C_GFSELECT   0x08
#define C_GF         0x0c
#define C_MSIX       0x10
#define C_STATUS     0x14
#define C_CFGGEN     0x15
#define C_Q_SELECT   0x16
#define C_Q_SIZE     0x18
#define C_Q_MSIX     0x1a
#define C_Q_ENABLE   0x1c
#define C_Q_NOFF     0x1e
#define C_Q_DESC     0x20
#define C_Q_DRIVER   0x28
#define C_Q_DEVICE   0x30

/* §4.1.4.8 Legacy Interfaces: A Note on PCI Device Layout (BAR0, I/O) */
#define L_HOST_FEATURES  0x00
#define L_GUEST_FEATURES 0x04
#define L_QUEUE_PFN      0x08
#define L_QUEUE_SIZE     0x0c
#define L_QUEUE_SEL      0x0e
#define L_QUEUE_NOTIFY   0x10
#define L_STATUS         0x12
#define L_ISR            0x13
#define L_MSIX_CONFIG    0x14 /* only while MSI-X is enabled */
#define L_MSIX_QUEUE     0x16
#define L_CONFIG(msix)   ((msix) ? 0x18 : 0x14)

#define NO_VECTOR 0xffff

struct vpci {
	struct virtio_dev vd;
	struct pci_dev pci;
	/* modern: mapped addresses of the capability structures */
	uint64_t common, notify, isr, device;
	uint32_t notify_mult;
	/* legacy */
	uint16_t iobase;
	/* interrupts */
	int msix;            /* MSI-X enabled on the function */
	int vector;          /* MSI vector, or -1 */
	unsigned gsi;        /* INTx */
	int intx_attached;
	void (*fn)(void *arg, unsigned causes);
	void *arg;
};

static struct vpci *vp_of(struct virtio_dev *vd) { return (struct vpci *)vd; }

/* ---- modern (§4.1.4) ---- */

static void m_reset(struct virtio_dev *vd)
{
	uint64_t c = vp_of(vd)->common;
	mmio_out8(c + C_STATUS, 0);
	for (int i = 0; i < 1000000 && mmio_in8(c + C_STATUS) != 0; i++)
		; /* §4.1.4.3.2: reset completes when status reads 0 */
}
static uint8_t m_get_status(struct virtio_dev *vd) { return mmio_in8(vp_of(vd)->common + C_STATUS); }
static void m_set_status(struct virtio_dev *vd, uint8_t s) { mmio_out8(vp_of(vd)->common + C_STATUS, s); }

static uint64_t m_get_features(struct virtio_dev *vd)
{
	uint64_t c = vp_of(vd)->common;
	mmio_out32(c + C_DFSELECT, 1);
	uint64_t hi = mmio_in32(c + C_DF);
	mmio_out32(c + C_DFSELECT, 0);
	return hi << 32 | mmio_in32(c + C_DF);
}

static void m_set_features(struct virtio_dev *vd, uint64_t f)
{
	uint64_t c = vp_of(vd)->common;
	mmio_out32(c + C_GFSELECT, 1);
	mmio_out32(c + C_GF, (uint32_t)(f >> 32));
	mmio_out32(c + C_GFSELECT, 0);
	mmio_out32(c + C_GF, (uint32_t)f);
}

static uint64_t m_config_read(struct virtio_dev *vd, unsigned off, unsigned len)
{
	struct vpci *vp = vp_of(vd);
	uint64_t a = vp->device + off, v;
	uint8_t gen;
	do { /* §4.1.4.3.1: config_generation around multi-part reads */
		gen = mmio_in8(vp->common + C_CFGGEN);
		switch (len) {
		case 1: v = mmio_in8(a); break;
		case 2: v = mmio_in16(a); break;
		case 4: v = mmio_in32(a); break;
		default: v = mmio_in32(a) | (uint64_t)mmio_in32(a + 4) << 32; break;
		}
	} while (mmio_in8(vp->common + C_CFGGEN) != gen);
	return v;
}

static uint16_t m_queue_max(struct virtio_dev *vd, unsigned idx)
{
	uint64_t c = vp_of(vd)->common;
	mmio_out16(c + C_Q_SELECT, (uint16_t)idx);
	if (mmio_in16(c + C_Q_ENABLE))
		return 0;
	return mmio_in16(c + C_Q_SIZE);
}

/* §4.1.5.1.3 Virtqueue Configuration */
static int m_queue_enable(struct virtio_dev *vd, struct virtq *vq)
{
	struct vpci *vp = vp_of(vd);
	uint64_t c = vp->common;
	mmio_out16(c + C_Q_SELECT, vq->index);
	mmio_out16(c + C_Q_SIZE, vq->size);
	if (vp->msix) {
		mmio_out16(c + C_Q_MSIX, 0); /* table entry 0 for everything */
		if (mmio_in16(c + C_Q_MSIX) == NO_VECTOR)
			return -EIO;
	}
	uint64_t desc = drv_dma(vq->desc), avail = drv_dma(vq->avail), used = drv_dma(vq->used);
	mmio_out32(c + C_Q_DESC, (uint32_t)desc);
	mmio_out32(c + C_Q_DESC + 4, (uint32_t)(desc >> 32));
	mmio_out32(c + C_Q_DRIVER, (uint32_t)avail);
	mmio_out32(c + C_Q_DRIVER + 4, (uint32_t)(avail >> 32));
	mmio_out32(c + C_Q_DEVICE, (uint32_t)used);
	mmio_out32(c + C_Q_DEVICE + 4, (uint32_t)(used >> 32));
	/* §4.1.4.4: the queue's doorbell is notify + queue_notify_off * multiplier */
	vq->notify_addr = vp->notify + (uint64_t)mmio_in16(c + C_Q_NOFF) * vp->notify_mult;
	mmio_out16(c + C_Q_ENABLE, 1);
	return 0;
}

static void m_notify(struct virtio_dev *vd, struct virtq *vq)
{
	(void)vd;
	mmio_out16(vq->notify_addr, vq->index);
}

/* ---- legacy (§4.1.4.8) ---- */

static void l_reset(struct virtio_dev *vd) { io_out8(vp_of(vd)->iobase + L_STATUS, 0); }
static uint8_t l_get_status(struct virtio_dev *vd) { return io_in8(vp_of(vd)->iobase + L_STATUS); }
static void l_set_status(struct virtio_dev *vd, uint8_t s) { io_out8(vp_of(vd)->iobase + L_STATUS, s); }
static uint64_t l_get_features(struct virtio_dev *vd) { return io_in32(vp_of(vd)->iobase + L_HOST_FEATURES); }
static void l_set_features(struct virtio_dev *vd, uint64_t f)
{
	io_out32(vp_of(vd)->iobase + L_GUEST_FEATURES, (uint32_t)f);
}

static uint64_t l_config_read(struct virtio_dev *vd, unsigned off, unsigned len)
{
	struct vpci *vp = vp_of(vd);
	uint16_t a = (uint16_t)(vp->iobase + L_CONFIG(vp->msix) + off);
	switch (len) {
	case 1: return io_in8(a);
	case 2: return io_in16(a);
	case 4: return io_in32(a);
	default: return io_in32(a) | (uint64_t)io_in32((uint16_t)(a + 4)) << 32;
	}
}

static uint16_t l_queue_max(struct virtio_dev *vd, unsigned idx)
{
	uint16_t io = vp_of(vd)->iobase;
	io_out16(io + L_QUEUE_SEL, (uint16_t)idx);
	if (io_in32(io + L_QUEUE_PFN))
		return 0;
	return io_in16(io + L_QUEUE_SIZE);
}

static int l_queue_enable(struct virtio_dev *vd, struct virtq *vq)
{
	struct vpci *vp = vp_of(vd);
	uint64_t desc = drv_dma(vq->desc);
	if ((desc & (VIRTQ_LEGACY_ALIGN - 1)) || (desc >> 12) > 0xffffffffu)
		return -EINVAL;
	io_out16(vp->iobase + L_QUEUE_SEL, vq->index);
	if (vp->msix) {
		io_out16(vp->iobase + L_MSIX_QUEUE, 0);
		if (io_in16(vp->iobase + L_MSIX_QUEUE) == NO_VECTOR)
			return -EIO;
	}
	io_out32(vp->iobase + L_QUEUE_PFN, (uint32_t)(desc >> 12));
	return 0;
}

static void l_notify(struct virtio_dev *vd, struct virtq *vq)
{
	io_out16(vp_of(vd)->iobase + L_QUEUE_NOTIFY, vq->index);
}

/* ---- interrupts: MSI-X (one vector for queues and config) or INTx ---- */

static void msix_irq(void *arg)
{
	struct vpci *vp = arg;
	vp->fn(vp->arg, VIRTIO_INT_VRING | VIRTIO_INT_CONFIG); /* cause unknown */
}

/* §4.1.4.5 ISR status: reading it acknowledges it and drops INTx. */
static void intx_irq(void *arg)
{
	struct vpci *vp = arg;
	uint8_t isr = vp->vd.legacy ? io_in8(vp->iobase + L_ISR) : mmio_in8(vp->isr);
	if (isr & 3)
		vp->fn(vp->arg, isr & 3);
}

static int set_config_vector(struct vpci *vp, uint16_t v)
{
	if (vp->vd.legacy) {
		io_out16(vp->iobase + L_MSIX_CONFIG, v);
		return io_in16(vp->iobase + L_MSIX_CONFIG) == v ? 0 : -EIO;
	}
	mmio_out16(vp->common + C_MSIX, v);
	return mmio_in16(vp->common + C_MSIX) == v ? 0 : -EIO;
}

/* irq_attach_msi's program hook: the one MSI-X entry every queue uses. */
static int program_msix(void *arg, uint64_t addr, uint32_t data)
{
	struct vpci *vp = arg;
	return pci_msix_set(&vp->pci, 0, addr, data);
}

static int attach_msix(struct vpci *vp)
{
	vp->vector = irq_attach_msi(msix_irq, vp, program_msix);
	if (vp->vector < 0)
		return vp->vector;
	int err = set_config_vector(vp, 0);
	if (err) {
		irq_detach_msi(vp->vector);
		vp->vector = -1;
	}
	return err;
}

static int p_irq_attach(struct virtio_dev *vd, void (*fn)(void *arg, unsigned causes), void *arg)
{
	struct vpci *vp = vp_of(vd);
	vp->fn = fn;
	vp->arg = arg;
	if (vp->msix) {
		if (attach_msix(vp) == 0) {
			drv_put_dec(drv_put_str(vd->irq, "msi-x vector "), (unsigned long)vp->vector);
			return 0;
		}
		pci_msix_disable(&vp->pci); /* out of vectors: INTx instead */
		vp->msix = 0;
	}
	uint8_t line = pci_read8(&vp->pci, PCI_INT_LINE);
	if (!pci_read8(&vp->pci, PCI_INT_PIN) || line == 0 || line == 0xff)
		return -ENODEV;
	vp->gsi = line; /* routed by the firmware; ISA IRQ n is GSI n here */
	int v = irq_attach_gsi(vp->gsi, IRQ_LEVEL, intx_irq, vp);
	if (v < 0)
		return v;
	vp->intx_attached = 1;
	drv_put_dec(drv_put_str(vd->irq, "intx gsi "), vp->gsi);
	return 0;
}

static void p_irq_detach(struct virtio_dev *vd)
{
	struct vpci *vp = vp_of(vd);
	if (vp->vector >= 0) {
		set_config_vector(vp, NO_VECTOR);
		irq_detach_msi(vp->vector);
		vp->vector = -1;
	}
	if (vp->intx_attached)
		irq_detach_gsi(vp->gsi, intx_irq, vp);
	vp->intx_attached = 0;
}

static const struct virtio_transport_ops modern_ops = {
	.reset = m_reset, .get_status = m_get_status, .set_status = m_set_status,
	.get_features = m_get_features, .set_features = m_set_features,
	.config_read = m_config_read, .queue_max = m_queue_max, .can_resize_queue = 1,
	.queue_enable = m_queue_enable, .notify = m_notify,
	.irq_attach = p_irq_attach, .irq_detach = p_irq_detach,
};

static const struct virtio_transport_ops legacy_ops = {
	.reset = l_reset, .get_status = l_get_status, .set_status = l_set_status,
	.get_features = l_get_features, .set_features = l_set_features,
	.config_read = l_config_read, .queue_max = l_queue_max, .can_resize_queue = 0,
	.queue_enable = l_queue_enable, .notify = l_notify,
	.irq_attach = p_irq_attach, .irq_detach = p_irq_detach,
};

/* ---- discovery ---- */

/* §4.1.4.1: walk the vendor capabilities and map the structures. 0 when the
 * common, notify, ISR and device structures are all there. */
static int find_modern(struct vpci *vp)
{
	const struct pci_dev *d = &vp->pci;
	for (unsigned cap = pci_find_cap(d, PCI_CAP_VENDOR, 0); cap;
	     cap = pci_find_cap(d, PCI_CAP_VENDOR, cap)) {
		uint8_t type = pci_read8(d, cap + 3), bar = pci_read8(d, cap + 4);
		uint32_t off = pci_read32(d, cap + 8), len = pci_read32(d, cap + 12);
		int io;
		uint64_t base = bar <= 5 ? pci_bar(d, bar, &io) : 0;
		if (!base || io || type < CAP_COMMON || type > CAP_DEVICE)
			continue;
		uint64_t a = base + off;
		uint64_t *slot = type == CAP_COMMON ? &vp->common : type == CAP_NOTIFY ? &vp->notify :
				 type == CAP_ISR ? &vp->isr : &vp->device;
		if (*slot)
			continue; /* the first of each type is the preferred one */
		if (dev_map_mmio(a, len ? len : 1))
			return -ENOMEM;
		*slot = a;
		if (type == CAP_NOTIFY)
			vp->notify_mult = pci_read32(d, cap + 16);
	}
	return vp->common && vp->notify && vp->isr && vp->device ? 0 : -ENODEV;
}

/* Device IDs (§4.1.2): 0x1040 + virtio ID (modern only), or transitional
 * 0x1000-0x103f with the virtio ID in the subsystem ID. */
static uint32_t virtio_id(const struct pci_dev *d)
{
	if (d->device >= 0x1040 && d->device <= 0x107f)
		return d->device - 0x1040u;
	if (d->device >= 0x1000 && d->device <= 0x103f)
		return pci_read16(d, PCI_SUBSYS_ID);
	return 0;
}

static void put_where(char *w, const struct pci_dev *d)
{
	w = drv_put_hex(drv_put_str(w, "pci@"), d->bus, 2);
	w = drv_put_hex(drv_put_str(w, ":"), d->slot, 2);
	drv_put_hex(drv_put_str(w, "."), d->fn, 1);
}

static int probe_fn(const struct pci_dev *d)
{
	if (d->vendor != VIRTIO_PCI_VENDOR || !virtio_id(d))
		return 0;
	struct vpci *vp = drv_zalloc(sizeof(*vp));
	if (!vp)
		return 0;
	vp->pci = *d;
	vp->vector = -1;
	vp->vd.tp = vp;
	vp->vd.device_id = virtio_id(d);
	put_where(vp->vd.where, d);
	pci_write16(d, PCI_COMMAND, pci_read16(d, PCI_COMMAND) | PCI_CMD_IO | PCI_CMD_MEM |
						  PCI_CMD_MASTER);
	int io;
	if (find_modern(vp) == 0) {
		vp->vd.ops = &modern_ops;
		vp->vd.ring_align = VIRTQ_MODERN_ALIGN;
	} else if ((vp->iobase = (uint16_t)pci_bar(d, 0, &io)) && io) {
		vp->vd.ops = &legacy_ops;
		vp->vd.legacy = 1;
		vp->vd.ring_align = VIRTQ_LEGACY_ALIGN;
	} else {
		klog("skiff: virtio %s: neither modern capabilities nor a legacy I/O BAR\n",
		     vp->vd.where);
		goto fail;
	}
	/* MSI-X on before the driver starts: the legacy config offset depends on it. */
	unsigned entries;
	vp->msix = pci_msix_enable(d, &entries) == 0;
	if (virtio_attach(&vp->vd) == 0)
		return 1;
	if (vp->msix)
		pci_msix_disable(d);
fail:
	pci_write16(d, PCI_COMMAND, pci_read16(d, PCI_COMMAND) & ~PCI_CMD_MASTER);
	drv_free(vp, sizeof(*vp));
	return 0;
}

int virtio_pci_probe(void)
{
	return pci_scan(probe_fn);
}
