/* Trap frames, vector numbers, and the trap/interrupt dispatch interface. */
#ifndef SKIFF_KERNEL_TRAP_H
#define SKIFF_KERNEL_TRAP_H

#include <stdint.h>

struct trap_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error;
	uint64_t rip, cs, rflags, rsp, ss;
};

#define VEC_TIMER 32
#define VEC_IRQ_BASE 33      /* IOAPIC pin n -> vector 33 + n */
#define VEC_MSI_BASE 56      /* 56..63 for MSI/MSI-X */
#define VEC_TLB 253          /* IPI: flush the TLB (smp_ipi.c); taken without the lock */
#define VEC_WAKE 254         /* IPI: an idle CPU looks at the run queue */
#define VEC_SPURIOUS 255

typedef void (*irq_handler_fn)(void *arg);

void idt_init(void);
void idt_load(void); /* load the (shared) IDT on this CPU: application processors */
/* Route vector (32..63) to fn(arg); called with interrupts off; EOI is done for it. */
void irq_register(int vector, irq_handler_fn fn, void *arg);
void trap_dispatch(struct trap_frame *f);
/* Print the symbolised frame-pointer chain starting at rbp. */
void trap_backtrace(uint64_t rbp);

#endif
