/* AP bring-up: processors from ACPI's MADT, started by INIT-SIPI-SIPI through the real-mode trampoline. */
#include <stddef.h>
#include <skiff/acpi.h>
#include <skiff/clock.h>
#include <skiff/console.h>
#include <skiff/mm.h>
#include "bootinfo.h"
#include "cpu.h"
#include "cpu_init.h"
#include "lapic.h"
#include "mmu.h"
#include "sched_internal.h"
#include "ioapic.h"
#include "smp.h"
#include "trap.h"

#define AP_STACK_PAGES 4       /* the AP's idle stack */
#define AP_IST_PAGES 2         /* each of its two IST stacks */
#define ICR_INIT 0x4500        /* INIT, level assert */
#define ICR_SIPI 0x4600        /* start-up, level assert; | vector (page number) */
#define AP_WAIT_NS 5000000000ULL /* TCG with more vCPUs than host cores is slow to start one */
#define MADT_LAPIC 0           /* ACPI 6.4 §5.2.12.2: Processor Local APIC structure */
#define MADT_ENABLED 1
#define MADT_ONLINE_CAPABLE 2

extern const char smp_trampoline[], smp_trampoline_end[], smp_trampoline_cr3[];

struct percpu smp_cpus[SMP_MAX_CPUS];
uint64_t smp_ap_rsp;              /* ap_entry64's stack, set before each start-up IPI */
static volatile int ap_booting;   /* index of the CPU being started */
static volatile int ap_arrived;   /* set by it once it runs C code */
int smp_ncpus = 1;
static int started;

static void delay_ns(uint64_t ns)
{
	uint64_t end = clock_monotonic_ns() + ns;
	while (clock_monotonic_ns() < end)
		pause();
}

/* The AP, on its idle stack, interrupts off: its own GDT/TSS, the IDT, GS base, LAPIC. */
void smp_ap_main(void)
{
	struct percpu *pc = &smp_cpus[ap_booting];
	cpu_init_ap(pc->id, pc->ist_hi[0], pc->ist_hi[1]);
	idt_load();
	wrmsr(MSR_GS_BASE, (uint64_t)pc);
	lapic_init_ap();
	__atomic_store_n(&ap_arrived, 1, __ATOMIC_RELEASE);
	while (!__atomic_load_n(&sk_smp_on, __ATOMIC_ACQUIRE)) /* the boot CPU turns the lock on */
		pause();
	sti(); /* from here on, interrupts off means holding the lock */
	sched_idle_loop();
}

void smp_init_boot_cpu(void)
{
	smp_cpus[0].self = &smp_cpus[0];
	wrmsr(MSR_GS_BASE, (uint64_t)&smp_cpus[0]);
}

/* A fully mapped stack with a guard page below; its top, or 0 when out of memory. */
static uint64_t guarded_stack(size_t pages)
{
	uint64_t lo, hi;
	return stack_alloc(pages, pages * PAGE_SIZE, &lo, &hi) ? 0 : hi;
}

static void start_ap(uint32_t apic_id)
{
	struct percpu *pc = &smp_cpus[smp_ncpus];
	pc->self = pc;
	pc->id = smp_ncpus;
	pc->apic_id = apic_id;
	pc->idle_hi = guarded_stack(AP_STACK_PAGES);
	pc->ist_hi[0] = guarded_stack(AP_IST_PAGES);
	pc->ist_hi[1] = guarded_stack(AP_IST_PAGES);
	if (!pc->idle_hi || !pc->ist_hi[0] || !pc->ist_hi[1]) {
		klog("skiff: warning: out of memory for CPU %u's stacks; it stays off\n", apic_id);
		return;
	}
	/* Its idle thread's record sits at the top of its idle stack, as a thread's does. */
	pc->idle = (struct sk_thread *)((pc->idle_hi - sizeof(struct sk_thread)) & ~63UL);
	sched_idle_thread_init(pc->idle);
	pc->current = pc->idle;
	smp_ap_rsp = (uint64_t)pc->idle & ~15UL;
	ap_booting = smp_ncpus;
	__atomic_store_n(&ap_arrived, 0, __ATOMIC_RELEASE);
	lapic_send_ipi(apic_id, ICR_INIT);
	/* Intel SDM 3A §8.4.4.1: 10 ms after INIT, for real processors. A virtual one takes the
	 * SIPI at once (Linux skips the wait on modern processors): 10 ms the first pthread_create paid. */
	if (!cpu_hypervisor())
		delay_ns(10000000);
	for (int i = 0; i < 2 && !ap_arrived; i++) {
		lapic_send_ipi(apic_id, ICR_SIPI | (SMP_TRAMPOLINE_PA >> 12));
		delay_ns(200000);
	}
	uint64_t end = clock_monotonic_ns() + AP_WAIT_NS;
	while (!__atomic_load_n(&ap_arrived, __ATOMIC_ACQUIRE) && clock_monotonic_ns() < end)
		pause();
	if (!ap_arrived) {
		klog("skiff: warning: CPU with APIC id %u did not start\n", apic_id);
		return; /* its stacks stay allocated: it may still wake and use them */
	}
	smp_ncpus++;
}

/* The trampoline page lies in RAM (reserved by mm_init) and the page tables below 4 GiB. */
static int trampoline_ready(void)
{
	const struct bootinfo *bi = boot_info();
	int in_ram = 0;
	for (int i = 0; i < bi->nmem; i++)
		if (bi->mem[i].type == 1 && bi->mem[i].addr <= SMP_TRAMPOLINE_PA &&
		    bi->mem[i].addr + bi->mem[i].size >= SMP_TRAMPOLINE_PA + PAGE_SIZE)
			in_ram = 1;
	if (!in_ram || (read_cr3() >> 32)) {
		klog("skiff: warning: no room for the AP start-up code; one CPU only\n");
		return 0;
	}
	char *page = (char *)SMP_TRAMPOLINE_PA;
	size_t len = (size_t)(smp_trampoline_end - smp_trampoline);
	__builtin_memcpy(page, smp_trampoline, len);
	*(uint64_t *)(page + (smp_trampoline_cr3 - smp_trampoline)) = read_cr3();
	return mmu_map(SMP_TRAMPOLINE_PA, SMP_TRAMPOLINE_PA, 0) == 0; /* read-only, executable */
}

int smp_bringup(void)
{
	if (started)
		return smp_ncpus;
	started = 1;
	uint32_t self = lapic_id();
	smp_cpus[0].apic_id = self;
	const uint8_t *madt = acpi_table("APIC");
	if (!madt)
		return smp_ncpus;
	uint32_t len = *(const uint32_t *)(madt + 4);
	int tramp = -1;
	/* ACPI 6.4 §5.2.12: 44 bytes of header, then {type, length, ...} records. */
	for (uint32_t off = 44; off + 2 <= len && madt[off + 1] >= 2; off += madt[off + 1]) {
		const uint8_t *e = madt + off;
		if (e[0] != MADT_LAPIC || e[1] < 8 || e[3] == self)
			continue;
		if (!(e[4] & (MADT_ENABLED | MADT_ONLINE_CAPABLE)))
			continue;
		if (smp_ncpus == SMP_MAX_CPUS) {
			klog("skiff: warning: more than %d CPUs; the rest stay off\n", SMP_MAX_CPUS);
			break;
		}
		if (tramp < 0)
			tramp = trampoline_ready();
		if (!tramp)
			break;
		start_ap(e[3]);
	}
	if (tramp > 0)
		mmu_map(SMP_TRAMPOLINE_PA, SMP_TRAMPOLINE_PA, PTE_W | mmu_nx()); /* back to data */
	if (smp_ncpus > 1) {
		/* Interrupts are off here: take the lock before turning it on, so that
		 * "interrupts off in the kernel = holding the lock" holds from now on. */
		sk_smp_ops.lock();
		__atomic_store_n(&sk_smp_on, &sk_smp_ops, __ATOMIC_RELEASE);
		klog("skiff: %d CPUs up\n", smp_ncpus);
		irq_reroute(); /* irqcpu=N may name one of them */
	}
	return smp_ncpus;
}

int sched_cpus_online(void)
{
	unsigned long f = irq_save();
	int n = smp_bringup();
	irq_restore(f);
	return n;
}
