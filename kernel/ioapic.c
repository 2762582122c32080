/* IOAPICs and device interrupt vectors: GSIs (shared, level or edge) and MSI vectors for drivers. */
#include <skiff/irq.h>
#include <skiff/sync.h>
#include <skiff/boot.h>
#include "ioapic.h"
#include "cpu.h"
#include "smp.h"
#include "mmu.h"
#include "sched_internal.h"
#include "trap.h"

#define ENOSPC 28
#define EINVAL 22
#define ENODEV 19

#define IOREGSEL 0x00
#define IOWIN    0x10
#define REG_VER  0x01
#define REG_RED(pin) (0x10 + 2 * (pin))
#define RED_LEVEL    (1u << 15)
#define RED_LOW      (1u << 13)
#define RED_MASKED   (1u << 16)

#define LAPIC_ID_REG 0xfee00020UL

/* Vectors 33..55 serve GSIs (allocated on demand), 56..63 MSIs. */
#define GSI_VEC_FIRST VEC_IRQ_BASE
#define GSI_VEC_LAST  (VEC_MSI_BASE - 1)
#define MSI_VEC_COUNT 8
#define SHARE_MAX 4

struct ioapic {
	uint64_t base;
	unsigned gsi_base, pins;
};

/* All below: written with interrupts off; read by handlers. */
static struct ioapic ioapics[IOAPIC_MAX];
static int nioapics = -1; /* -1: not probed yet */

struct vec_slot {
	int gsi;                  /* -1 when free (MSI slots: -2 when taken) */
	unsigned flags;
	int n;
	struct {
		void (*fn)(void *);
		void *arg;
	} h[SHARE_MAX];
	/* MSI: writes the message into the device (again when the destination moves). */
	int (*program)(void *arg, uint64_t addr, uint32_t data);
};
/* Device interrupts each CPU has handled (atomic: only its own CPU adds). */
static uint64_t cpu_irqs[SMP_MAX_CPUS];
static struct vec_slot gsi_slots[GSI_VEC_LAST - GSI_VEC_FIRST + 1];
static struct vec_slot msi_slots[MSI_VEC_COUNT];

static uint32_t reg_read(const struct ioapic *io, uint32_t reg)
{
	mmio_out32(io->base + IOREGSEL, reg);
	return mmio_in32(io->base + IOWIN);
}

static void reg_write(const struct ioapic *io, uint32_t reg, uint32_t v)
{
	mmio_out32(io->base + IOREGSEL, reg);
	mmio_out32(io->base + IOWIN, v);
}

/* A real IOAPIC answers with version 0x11 or 0x20 and 1..240 pins; an empty
 * address reads as 0 or all ones. */
static int ioapic_probe(uint64_t base, unsigned gsi_base)
{
	struct ioapic io = { base, gsi_base, 0 };
	uint32_t ver = reg_read(&io, REG_VER);
	unsigned version = ver & 0xff, pins = ((ver >> 16) & 0xff) + 1;
	if (ver == 0xffffffffu || (version != 0x11 && version != 0x20) || pins > 240)
		return 0;
	io.pins = pins;
	/* Every pin is masked at reset (82093AA datasheet §3.2.4) and the
	 * firmware we boot from (SeaBIOS, qboot, OVMF) drives the 8259, not the
	 * IOAPIC: pins are programmed only when a driver attaches, which spares
	 * ~100 slow register accesses on the probe path. */
	ioapics[nioapics++] = io;
	return 1;
}

int ioapic_init(void)
{
	if (nioapics >= 0)
		return nioapics ? 0 : -1;
	nioapics = 0;
	for (unsigned i = 0; i < sizeof(gsi_slots) / sizeof(gsi_slots[0]); i++)
		gsi_slots[i].gsi = -1;
	if (mmu_map_device(IOAPIC0_BASE, 0x20000))
		return -1;
	if (ioapic_probe(IOAPIC0_BASE, 0))
		ioapic_probe(IOAPIC1_BASE, ioapics[0].pins);
	return nioapics ? 0 : -1;
}

static const struct ioapic *ioapic_for(unsigned gsi)
{
	for (int i = 0; i < nioapics; i++)
		if (gsi >= ioapics[i].gsi_base && gsi < ioapics[i].gsi_base + ioapics[i].pins)
			return &ioapics[i];
	return 0;
}

static uint8_t lapic_id(void)
{
	return (uint8_t)(mmio_in32(LAPIC_ID_REG) >> 24);
}

/* Where device interrupts go: CPU irqcpu=N once it is up, else the boot CPU (smp_bringup
 * records its APIC ID; a device may attach later, from a thread on another CPU). */
static uint32_t dest_apic_id(void)
{
	const char *v = boot_karg("irqcpu");
	int cpu = 0;
	while (v && *v >= '0' && *v <= '9' && cpu < SMP_MAX_CPUS)
		cpu = cpu * 10 + (*v++ - '0');
	if (smp_ncpus == 1)
		return lapic_id();
	return smp_cpus[cpu < smp_ncpus ? cpu : 0].apic_id;
}

/* Intel SDM vol. 3, 11.11: address 0xfee00000 | dest << 12, physical
 * destination; data = vector, fixed, edge. */
static uint64_t msi_address(void)
{
	return 0xfee00000UL | ((uint64_t)dest_apic_id() << 12);
}

void ioapic_route(unsigned gsi, uint8_t vector, unsigned flags, int masked)
{
	const struct ioapic *io = ioapic_for(gsi);
	if (!io)
		return;
	unsigned pin = gsi - io->gsi_base;
	uint32_t lo = vector | (flags & IRQ_LEVEL ? RED_LEVEL : 0) |
		      (flags & IRQ_ACTIVE_LOW ? RED_LOW : 0) | (masked ? RED_MASKED : 0);
	reg_write(io, REG_RED(pin), lo | RED_MASKED);
	reg_write(io, REG_RED(pin) + 1, dest_apic_id() << 24);
	reg_write(io, REG_RED(pin), lo);
}

void ioapic_mask(unsigned gsi, int masked)
{
	const struct ioapic *io = ioapic_for(gsi);
	if (!io)
		return;
	unsigned pin = gsi - io->gsi_base;
	uint32_t lo = reg_read(io, REG_RED(pin));
	reg_write(io, REG_RED(pin), masked ? lo | RED_MASKED : lo & ~RED_MASKED);
}

/* Runs every handler sharing the vector (interrupts off). */
static void slot_dispatch(void *arg)
{
	struct vec_slot *s = arg;
	__atomic_fetch_add(&cpu_irqs[this_cpu()->id], 1, __ATOMIC_RELAXED);
	for (int i = 0; i < s->n; i++)
		s->h[i].fn(s->h[i].arg);
}

int irq_attach_gsi(unsigned gsi, unsigned flags, void (*fn)(void *arg), void *arg)
{
	if (!fn)
		return -EINVAL;
	unsigned long f = irq_save();
	int ret;
	if (ioapic_init() || !ioapic_for(gsi)) {
		ret = -ENODEV;
		goto out;
	}
	int nslots = (int)(sizeof(gsi_slots) / sizeof(gsi_slots[0]));
	int idx = -1, free_idx = -1;
	for (int i = 0; i < nslots && idx < 0; i++) {
		if (gsi_slots[i].gsi == (int)gsi)
			idx = i;
		else if (gsi_slots[i].gsi == -1 && free_idx < 0)
			free_idx = i;
	}
	/* Prefer the kernel's fixed convention, vector 33 + gsi, when free. */
	if (idx < 0 && gsi < (unsigned)nslots && gsi_slots[gsi].gsi == -1)
		free_idx = (int)gsi;
	if (idx >= 0) { /* shared: same trigger mode, level only */
		struct vec_slot *s = &gsi_slots[idx];
		if (!(flags & IRQ_LEVEL) || s->flags != flags) {
			ret = -EINVAL;
			goto out;
		}
		if (s->n == SHARE_MAX) {
			ret = -ENOSPC;
			goto out;
		}
		s->h[s->n].fn = fn;
		s->h[s->n].arg = arg;
		s->n++;
		ret = GSI_VEC_FIRST + idx;
		sched_irq_sources++;
		goto out;
	}
	if (free_idx < 0) {
		ret = -ENOSPC;
		goto out;
	}
	struct vec_slot *s = &gsi_slots[free_idx];
	s->gsi = (int)gsi;
	s->flags = flags;
	s->n = 1;
	s->h[0].fn = fn;
	s->h[0].arg = arg;
	ret = GSI_VEC_FIRST + free_idx;
	irq_register(ret, slot_dispatch, s);
	ioapic_route(gsi, (uint8_t)ret, flags, 0);
	sched_irq_sources++;
out:
	irq_restore(f);
	return ret;
}

void irq_detach_gsi(unsigned gsi, void (*fn)(void *arg), void *arg)
{
	unsigned long f = irq_save();
	for (unsigned i = 0; i < sizeof(gsi_slots) / sizeof(gsi_slots[0]); i++) {
		struct vec_slot *s = &gsi_slots[i];
		if (s->gsi != (int)gsi)
			continue;
		for (int j = 0; j < s->n; j++) {
			if (s->h[j].fn != fn || s->h[j].arg != arg)
				continue;
			for (int k = j; k + 1 < s->n; k++)
				s->h[k] = s->h[k + 1];
			s->n--;
			sched_irq_sources--;
			break;
		}
		if (s->n == 0) {
			ioapic_mask(gsi, 1);
			irq_register(GSI_VEC_FIRST + (int)i, 0, 0);
			s->gsi = -1;
		}
	}
	irq_restore(f);
}

void irq_mask_gsi(unsigned gsi, int masked)
{
	unsigned long f = irq_save();
	if (nioapics > 0)
		ioapic_mask(gsi, masked);
	irq_restore(f);
}

int irq_attach_msi(void (*fn)(void *arg), void *arg,
		   int (*program)(void *arg, uint64_t addr, uint32_t data))
{
	if (!fn || !program)
		return -EINVAL;
	unsigned long f = irq_save();
	int ret = -ENOSPC;
	for (int i = 0; i < MSI_VEC_COUNT; i++) {
		struct vec_slot *s = &msi_slots[i];
		if (s->n)
			continue;
		s->gsi = -2;
		s->n = 1;
		s->h[0].fn = fn;
		s->h[0].arg = arg;
		s->program = program;
		ret = VEC_MSI_BASE + i;
		irq_register(ret, slot_dispatch, s);
		int err = program(arg, msi_address(), (uint32_t)ret);
		if (err) {
			irq_register(ret, 0, 0);
			s->n = 0;
			s->gsi = -1;
			ret = err;
			break;
		}
		sched_irq_sources++;
		break;
	}
	irq_restore(f);
	return ret;
}

void irq_detach_msi(int vector)
{
	if (vector < VEC_MSI_BASE || vector >= VEC_MSI_BASE + MSI_VEC_COUNT)
		return;
	unsigned long f = irq_save();
	struct vec_slot *s = &msi_slots[vector - VEC_MSI_BASE];
	if (s->n) {
		irq_register(vector, 0, 0);
		s->n = 0;
		s->gsi = -1;
		sched_irq_sources--;
	}
	irq_restore(f);
}

void irq_reroute(void)
{
	unsigned long f = irq_save();
	for (unsigned i = 0; i < sizeof(gsi_slots) / sizeof(gsi_slots[0]); i++) {
		const struct vec_slot *s = &gsi_slots[i];
		const struct ioapic *io = s->gsi >= 0 ? ioapic_for((unsigned)s->gsi) : 0;
		if (!io)
			continue;
		unsigned pin = (unsigned)s->gsi - io->gsi_base;
		uint32_t lo = reg_read(io, REG_RED(pin));
		reg_write(io, REG_RED(pin), lo | RED_MASKED);
		reg_write(io, REG_RED(pin) + 1, dest_apic_id() << 24);
		reg_write(io, REG_RED(pin), lo);
	}
	for (int i = 0; i < MSI_VEC_COUNT; i++) {
		const struct vec_slot *s = &msi_slots[i];
		if (s->n)
			s->program(s->h[0].arg, msi_address(), (uint32_t)(VEC_MSI_BASE + i));
	}
	irq_restore(f);
}

int irq_cpu_counts(uint64_t *counts, int max)
{
	int n = smp_ncpus < max ? smp_ncpus : max;
	for (int i = 0; i < n; i++)
		counts[i] = __atomic_load_n(&cpu_irqs[i], __ATOMIC_RELAXED);
	return n;
}
