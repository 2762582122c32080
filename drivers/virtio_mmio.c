/* virtio over MMIO (virtio 1.x §4.2), version 1 (legacy) and 2, found by scanning microvm's window. */
#include <skiff/console.h>
#include <skiff/irq.h>
#include "acpi.h"
#include <skiff/io.h>
#include "kerrno.h"
#include "probe.h"
#include "virtio.h"

/* QEMU microvm: up to 24 transports of 512 bytes from 0xfeb00000. Slot i's
 * GSI comes from the DSDT when ACPI is on (24 + i with the second IOAPIC,
 * 16 + i with ioapic2=off); with acpi=off it is 5 + i. */
#define WINDOW_BASE  0xfeb00000UL
#define SLOT_SIZE    0x200
#define SLOTS        32
#define NOACPI_GSI_BASE 5

/* §4.2.2 MMIO Device Register Layout */
#define R_MAGIC          0x000
#define R_VERSION        0x004
#define R_DEVICE_ID      0x008
#define R_DEV_FEATURES   0x010
#define R_DEV_FEAT_SEL   0x014
#define R_DRV_FEATURES   0x020
#define R_DRV_FEAT_SEL   0x024
#define R_GUEST_PAGE_SIZE 0x028 /* legacy */
#define R_QUEUE_SEL      0x030
#define R_QUEUE_NUM_MAX  0x034
#define R_QUEUE_NUM      0x038
#define R_QUEUE_ALIGN    0x03c /* legacy */
#define R_QUEUE_PFN      0x040 /* legacy */
#define R_QUEUE_READY    0x044
#define R_QUEUE_NOTIFY   0x050
#define R_INT_STATUS     0x060
#define R_INT_ACK        0x064
#define R_STATUS         0x070
#define R_QUEUE_DESC     0x080
#define R_QUEUE_DRIVER   0x090
#define R_QUEUE_DEVICE   0x0a0
#define R_CONFIG_GEN     0x0fc
#define R_CONFIG         0x100

#define MAGIC 0x74726976 /* "virt" */

struct mmio_dev {
	struct virtio_dev vd;
	uint64_t base;
	unsigned slot, gsi, irq_flags; /* gsi: found at the first irq_attach (0 until then) */
	int irq_attached;
	void (*fn)(void *arg, unsigned causes);
	void *arg;
};

static struct mmio_dev *md_of(struct virtio_dev *vd) { return (struct mmio_dev *)vd; }
static uint32_t rd(struct virtio_dev *vd, unsigned r) { return mmio_in32(md_of(vd)->base + r); }
static void wr(struct virtio_dev *vd, unsigned r, uint32_t v) { mmio_out32(md_of(vd)->base + r, v); }

static void m_reset(struct virtio_dev *vd)
{
	wr(vd, R_STATUS, 0);
	for (int i = 0; i < 1000000 && rd(vd, R_STATUS) != 0; i++)
		; /* §4.2.3.1: wait for the reset to finish */
}

static uint8_t m_get_status(struct virtio_dev *vd) { return (uint8_t)rd(vd, R_STATUS); }
static void m_set_status(struct virtio_dev *vd, uint8_t s) { wr(vd, R_STATUS, s); }

static uint64_t m_get_features(struct virtio_dev *vd)
{
	wr(vd, R_DEV_FEAT_SEL, 1);
	uint64_t hi = rd(vd, R_DEV_FEATURES);
	wr(vd, R_DEV_FEAT_SEL, 0);
	return hi << 32 | rd(vd, R_DEV_FEATURES);
}

static void m_set_features(struct virtio_dev *vd, uint64_t f)
{
	wr(vd, R_DRV_FEAT_SEL, 1);
	wr(vd, R_DRV_FEATURES, (uint32_t)(f >> 32));
	wr(vd, R_DRV_FEAT_SEL, 0);
	wr(vd, R_DRV_FEATURES, (uint32_t)f);
}

static uint64_t config_once(struct virtio_dev *vd, unsigned off, unsigned len)
{
	uint64_t a = md_of(vd)->base + R_CONFIG + off;
	switch (len) {
	case 1: return mmio_in8(a);
	case 2: return mmio_in16(a);
	case 4: return mmio_in32(a);
	default: return mmio_in32(a) | (uint64_t)mmio_in32(a + 4) << 32;
	}
}

/* §4.2.2.2: a read of several fields is consistent if ConfigGeneration
 * did not change around it (version 2 only). */
static uint64_t m_config_read(struct virtio_dev *vd, unsigned off, unsigned len)
{
	if (vd->legacy)
		return config_once(vd, off, len);
	uint32_t gen;
	uint64_t v;
	do {
		gen = rd(vd, R_CONFIG_GEN);
		v = config_once(vd, off, len);
	} while (rd(vd, R_CONFIG_GEN) != gen);
	return v;
}

static uint16_t m_queue_max(struct virtio_dev *vd, unsigned idx)
{
	wr(vd, R_QUEUE_SEL, idx);
	if (rd(vd, vd->legacy ? R_QUEUE_PFN : R_QUEUE_READY))
		return 0; /* already in use */
	uint32_t n = rd(vd, R_QUEUE_NUM_MAX);
	return (uint16_t)(n > 32768 ? 32768 : n);
}

/* §4.2.3.2 Virtqueue Configuration (legacy: §4.2.4, QueueAlign + QueuePFN). */
static int m_queue_enable(struct virtio_dev *vd, struct virtq *vq)
{
	uint64_t desc = drv_dma(vq->desc), avail = drv_dma(vq->avail), used = drv_dma(vq->used);
	wr(vd, R_QUEUE_SEL, vq->index);
	wr(vd, R_QUEUE_NUM, vq->size);
	if (vd->legacy) {
		if (desc & (VIRTQ_LEGACY_ALIGN - 1))
			return -EINVAL;
		wr(vd, R_QUEUE_ALIGN, VIRTQ_LEGACY_ALIGN);
		wr(vd, R_QUEUE_PFN, (uint32_t)(desc >> 12));
		return 0;
	}
	wr(vd, R_QUEUE_DESC, (uint32_t)desc);
	wr(vd, R_QUEUE_DESC + 4, (uint32_t)(desc >> 32));
	wr(vd, R_QUEUE_DRIVER, (uint32_t)avail);
	wr(vd, R_QUEUE_DRIVER + 4, (uint32_t)(avail >> 32));
	wr(vd, R_QUEUE_DEVICE, (uint32_t)used);
	wr(vd, R_QUEUE_DEVICE + 4, (uint32_t)(used >> 32));
	wr(vd, R_QUEUE_READY, 1);
	return 0;
}

/* §4.2.3.3 Available Buffer Notifications */
static void m_notify(struct virtio_dev *vd, struct virtq *vq)
{
	wr(vd, R_QUEUE_NOTIFY, vq->index);
}

/* §4.2.3.4: read InterruptStatus, acknowledge it, then act on it. The line is
 * level-triggered and drops once acknowledged. Interrupts are off. */
static void m_irq(void *arg)
{
	struct mmio_dev *md = arg;
	uint32_t causes = mmio_in32(md->base + R_INT_STATUS);
	if (!causes)
		return;
	mmio_out32(md->base + R_INT_ACK, causes);
	md->fn(md->arg, causes & (VIRTIO_INT_VRING | VIRTIO_INT_CONFIG));
}

static int m_irq_attach(struct virtio_dev *vd, void (*fn)(void *arg, unsigned causes), void *arg)
{
	struct mmio_dev *md = md_of(vd);
	/* The GSI is looked up here, not at the probe: finding ACPI's tables means scanning
	 * the BIOS area, and a driver that never waits for its device never asks. */
	if (!md->gsi && acpi_mmio_irq(md->base, &md->gsi, &md->irq_flags)) {
		md->gsi = NOACPI_GSI_BASE + md->slot;
		md->irq_flags = IRQ_LEVEL;
	}
	md->fn = fn;
	md->arg = arg;
	int v = irq_attach_gsi(md->gsi, md->irq_flags, m_irq, md);
	if (v < 0)
		return v;
	md->irq_attached = 1;
	drv_put_str(drv_put_dec(drv_put_str(vd->irq, "gsi "), md->gsi),
		    md->irq_flags & IRQ_LEVEL ? " level" : " edge");
	return 0;
}

static void m_describe(struct virtio_dev *vd)
{
	drv_put_hex(drv_put_str(vd->where, "mmio@0x"), md_of(vd)->base, 0);
}

static void m_irq_detach(struct virtio_dev *vd)
{
	struct mmio_dev *md = md_of(vd);
	if (md->irq_attached)
		irq_detach_gsi(md->gsi, m_irq, md);
	md->irq_attached = 0;
}

static const struct virtio_transport_ops mmio_ops = {
	.reset = m_reset,
	.get_status = m_get_status,
	.set_status = m_set_status,
	.get_features = m_get_features,
	.set_features = m_set_features,
	.config_read = m_config_read,
	.queue_max = m_queue_max,
	.can_resize_queue = 1,
	.queue_enable = m_queue_enable,
	.notify = m_notify,
	.irq_attach = m_irq_attach,
	.irq_detach = m_irq_detach,
	.describe = m_describe,
};

static int probe_slot(unsigned slot)
{
	uint64_t base = WINDOW_BASE + (uint64_t)slot * SLOT_SIZE;
	uint32_t version = mmio_in32(base + R_VERSION);
	if (mmio_in32(base + R_MAGIC) != MAGIC || mmio_in32(base + R_DEVICE_ID) == 0)
		return 0; /* empty slot (device ID 0: §4.2.3.1.1) */
	if (version != 1 && version != 2) {
		klog("skiff: virtio-mmio@%lx: unknown version %u\n", (unsigned long)base, version);
		return 0;
	}
	struct mmio_dev *md = drv_zalloc(sizeof(*md));
	if (!md)
		return 0;
	md->base = base;
	md->vd.ops = &mmio_ops;
	md->vd.tp = md;
	md->vd.device_id = mmio_in32(base + R_DEVICE_ID);
	md->vd.legacy = version == 1;
	md->vd.ring_align = md->vd.legacy ? VIRTQ_LEGACY_ALIGN : VIRTQ_MODERN_ALIGN;
	md->slot = slot;
	if (md->vd.legacy)
		mmio_out32(base + R_GUEST_PAGE_SIZE, 4096); /* §4.2.4: before any queue */
	if (virtio_attach(&md->vd)) {
		drv_free(md, sizeof(*md));
		return 0;
	}
	return 1;
}

int virtio_mmio_probe(void)
{
	if (dev_map_mmio(WINDOW_BASE, SLOTS * SLOT_SIZE))
		return 0;
	int n = 0;
	for (unsigned i = 0; i < SLOTS; i++)
		n += probe_slot(i);
	return n;
}
