/* CPU set-up: SSE on, our GDT with a TSS whose IST stacks catch stack overflows and double faults. */
#include <stdint.h>
#include "cpu.h"
#include "cpu_init.h"

#define TRAP_STACK_SIZE 8192

struct guarded_stack {
	uint8_t guard[4096]; /* unmapped by mmu_init */
	uint8_t stack[TRAP_STACK_SIZE];
} __attribute__((aligned(4096)));

static struct guarded_stack fault_stack, double_fault_stack;

const uint64_t trap_stack_guards[2] = {
	(uint64_t)fault_stack.guard,
	(uint64_t)double_fault_stack.guard,
};

struct tss {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3, iomap_base;
} __attribute__((packed));

static struct tss tss;
static uint64_t gdt[5] = {
	0,
	0x00af9a000000ffffUL, /* 0x08: 64-bit code */
	0x00cf92000000ffffUL, /* 0x10: data */
	0, 0,                 /* 0x18: TSS (16 bytes) */
};

static void enable_sse(void)
{
	uint64_t cr0 = read_cr0();
	cr0 &= ~(1UL << 2); /* EM */
	cr0 |= 1UL << 1;    /* MP */
	write_cr0(cr0);
	write_cr4(read_cr4() | (1UL << 9) | (1UL << 10)); /* OSFXSR, OSXMMEXCPT */
	uint32_t mxcsr = 0x1f80;
	__asm__ volatile("fninit; ldmxcsr %0" : : "m"(mxcsr));
}

static void load_gdt(void)
{
	uint64_t base = (uint64_t)&tss;
	uint64_t limit = sizeof(tss) - 1;
	tss.ist[IST_FAULT - 1] = (uint64_t)fault_stack.stack + TRAP_STACK_SIZE;
	tss.ist[IST_DOUBLE_FAULT - 1] = (uint64_t)double_fault_stack.stack + TRAP_STACK_SIZE;
	tss.iomap_base = sizeof(tss);
	gdt[3] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x89UL << 40) |
		 ((limit >> 16) << 48) | (((base >> 24) & 0xff) << 56);
	gdt[4] = base >> 32;
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) desc = { sizeof(gdt) - 1, (uint64_t)gdt };
	__asm__ volatile("lgdt %0\n\t"
			 "mov $0x18, %%ax\n\t"
			 "ltr %%ax"
			 : : "m"(desc) : "rax", "memory");
}

void cpu_init(void)
{
	enable_sse();
	load_gdt();
}
