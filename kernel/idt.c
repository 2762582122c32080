/* Interrupt descriptor table: exception and IRQ gates pointing at the stubs in traps.S. */
#include <stdint.h>
#include "trap.h"
#include "cpu_init.h"

struct idt_gate {
	uint16_t off_lo, sel;
	uint8_t ist, type;
	uint16_t off_mid;
	uint32_t off_hi, zero;
} __attribute__((packed));

static struct idt_gate idt[256];
extern const uint64_t trap_stub_table[67];

static void set_gate(int vec, uint64_t addr, int ist)
{
	idt[vec] = (struct idt_gate){
		.off_lo = addr & 0xffff,
		.sel = 0x08,
		.ist = ist,
		.type = 0x8e, /* present, ring 0, 64-bit interrupt gate (IF cleared) */
		.off_mid = (addr >> 16) & 0xffff,
		.off_hi = addr >> 32,
	};
}

void idt_init(void)
{
	for (int v = 0; v < 64; v++)
		set_gate(v, trap_stub_table[v], 0);
	set_gate(253, trap_stub_table[64], 0);
	set_gate(254, trap_stub_table[65], 0);
	set_gate(255, trap_stub_table[66], 0);
	set_gate(14, trap_stub_table[14], IST_FAULT);        /* page fault: stack overflow */
	set_gate(8, trap_stub_table[8], IST_DOUBLE_FAULT);   /* double fault */
	set_gate(2, trap_stub_table[2], IST_DOUBLE_FAULT);   /* NMI */
	idt_load();
}

void idt_load(void)
{
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) desc = { sizeof(idt) - 1, (uint64_t)idt };
	__asm__ volatile("lidt %0" : : "m"(desc));
}
