/* CPU set-up: SSE on, a GDT with a TSS whose IST stacks catch stack overflows and double faults (per CPU). */
#include <stdint.h>
#include "cpu.h"
#include "cpu_init.h"
#include "smp_defs.h"

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

/* One GDT and TSS per CPU: a busy TSS cannot be loaded twice. [0] is the boot CPU's. */
static struct cpu_tables {
	struct tss tss;
	uint64_t gdt[5];
} tables[SMP_MAX_CPUS];

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

static void load_gdt(struct cpu_tables *t, uint64_t fault_top, uint64_t double_fault_top)
{
	struct tss *tss = &t->tss;
	uint64_t *gdt = t->gdt;
	uint64_t base = (uint64_t)tss;
	uint64_t limit = sizeof(*tss) - 1;
	gdt[1] = 0x00af9a000000ffffUL; /* 0x08: 64-bit code */
	gdt[2] = 0x00cf92000000ffffUL; /* 0x10: data */
	tss->ist[IST_FAULT - 1] = fault_top;
	tss->ist[IST_DOUBLE_FAULT - 1] = double_fault_top;
	tss->iomap_base = sizeof(*tss);
	gdt[3] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x89UL << 40) |
		 ((limit >> 16) << 48) | (((base >> 24) & 0xff) << 56);
	gdt[4] = base >> 32;
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) desc = { sizeof(t->gdt) - 1, (uint64_t)gdt };
	__asm__ volatile("lgdt %0\n\t"
			 "mov $0x18, %%ax\n\t"
			 "ltr %%ax"
			 : : "m"(desc) : "rax", "memory");
}

void cpu_init(void)
{
	enable_sse();
	load_gdt(&tables[0], (uint64_t)fault_stack.stack + TRAP_STACK_SIZE,
		 (uint64_t)double_fault_stack.stack + TRAP_STACK_SIZE);
}

void cpu_init_ap(int cpu, uint64_t fault_top, uint64_t double_fault_top)
{
	enable_sse();
	load_gdt(&tables[cpu], fault_top, double_fault_top);
}
