/* Local APIC (xAPIC MMIO): enable, EOI, one-shot timer. The 8259 PIC is masked. */
#include "lapic.h"
#include "cpu.h"
#include "mmu.h"
#include "trap.h"

#define LAPIC_BASE 0xfee00000UL
#define REG_ID 0x020
#define REG_TPR 0x080
#define REG_EOI 0x0b0
#define REG_SVR 0x0f0
#define REG_ICR_LO 0x300
#define REG_ICR_HI 0x310
#define ICR_PENDING (1U << 12)
#define REG_LVT_TIMER 0x320
#define REG_TIMER_INIT 0x380
#define REG_TIMER_CUR 0x390
#define REG_TIMER_DIV 0x3e0
#define LVT_MASKED (1U << 16)

static int ready;

static void lapic_write(uint32_t reg, uint32_t v) { mmio_out32(LAPIC_BASE + reg, v); }
static uint32_t lapic_read(uint32_t reg) { return mmio_in32(LAPIC_BASE + reg); }

int lapic_init(void)
{
	io_out8(0x21, 0xff); /* mask both 8259s: interrupts come through the (IO)APIC */
	io_out8(0xa1, 0xff);
	if (mmu_map_device(LAPIC_BASE, 4096))
		return -1;
	lapic_init_ap();
	ready = 1;
	return 0;
}

/* This CPU's LAPIC (the MMIO page is mapped once, by the boot CPU). */
void lapic_init_ap(void)
{
	wrmsr(0x1b, (rdmsr(0x1b) & ~0xfffUL) | LAPIC_BASE | (1UL << 11)); /* APIC global enable */
	lapic_write(REG_SVR, 0x100 | VEC_SPURIOUS);
	lapic_write(REG_TPR, 0);
	lapic_write(REG_TIMER_DIV, 0xb); /* divide by 1 */
	lapic_write(REG_LVT_TIMER, LVT_MASKED | VEC_TIMER);
}

uint32_t lapic_id(void)
{
	return lapic_read(REG_ID) >> 24;
}

/* Send an IPI (ICR low word: vector, delivery mode, level) to one xAPIC id;
 * returns once the LAPIC has sent it. */
void lapic_send_ipi(uint32_t apic_id, uint32_t icr_lo)
{
	lapic_write(REG_ICR_HI, apic_id << 24);
	lapic_write(REG_ICR_LO, icr_lo);
	while (lapic_read(REG_ICR_LO) & ICR_PENDING)
		pause();
}

void lapic_eoi(void)
{
	if (ready)
		lapic_write(REG_EOI, 0);
}

void lapic_timer_oneshot(uint32_t count)
{
	lapic_write(REG_LVT_TIMER, VEC_TIMER | (count ? 0 : LVT_MASKED));
	lapic_write(REG_TIMER_INIT, count);
}

uint32_t lapic_timer_current(void)
{
	return lapic_read(REG_TIMER_CUR);
}

/* Start the count-down with the timer masked (calibration only). */
void lapic_timer_start_masked(void)
{
	lapic_write(REG_LVT_TIMER, LVT_MASKED | VEC_TIMER);
	lapic_write(REG_TIMER_INIT, 0xffffffff);
}
