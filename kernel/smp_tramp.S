/* Application processor start-up: real mode at SMP_TRAMPOLINE_PA -> long mode -> ap_entry64 -> smp_ap_main. */
#include "smp_defs.h"
#include "enter_c.inc"

/* Copied to SMP_TRAMPOLINE_PA (the SIPI vector) by smp_boot.c, mapped read-only and
 * executable while APs start. The CPU arrives in real mode with CS = SIPI vector << 8,
 * IP = 0: everything here addresses the copy by its physical address. */
#define TA(label) (SMP_TRAMPOLINE_PA + (label - smp_trampoline))

	.section .rodata.smp_trampoline, "a", @progbits /* own sections: images that never start a pthread drop them */
	.globl smp_trampoline, smp_trampoline_end, smp_trampoline_cr3
	.code16
smp_trampoline:
	cli
	cld
	xor %ax, %ax
	mov %ax, %ds
	lgdtl TA(tr_gdt_desc)
	mov %cr0, %eax
	or $1, %eax                     /* PE */
	mov %eax, %cr0
	ljmpl $0x18, $TA(tr_32)

	.code32
tr_32:
	mov $0x10, %ax
	mov %ax, %ds
	mov %ax, %es
	mov %ax, %ss
	mov %cr4, %eax
	or $0x20, %eax                  /* PAE */
	mov %eax, %cr4
	mov TA(smp_trampoline_cr3), %eax /* the kernel's page tables (below 4 GiB) */
	mov %eax, %cr3
	mov $0xC0000080, %ecx           /* EFER: LME, and NXE when the BSP has it */
	rdmsr
	or $0x100, %eax
	cmpl $0, boot_nx
	je 1f
	or $0x800, %eax
1:	wrmsr
	mov %cr0, %eax
	or $0x80010001, %eax            /* PG | WP | PE */
	mov %eax, %cr0
	ljmp $0x08, $TA(tr_64)

	.code64
tr_64:
	movabs $ap_entry64, %rax        /* leave the trampoline page for the kernel image */
	jmp *%rax

	.align 8
tr_gdt:
	.quad 0
	.quad 0x00af9a000000ffff        /* 0x08: 64-bit code (as the kernel's GDT) */
	.quad 0x00cf92000000ffff        /* 0x10: data */
	.quad 0x00cf9a000000ffff        /* 0x18: 32-bit code */
tr_gdt_end:
tr_gdt_desc:
	.word tr_gdt_end - tr_gdt - 1
	.long TA(tr_gdt)
	.align 8
smp_trampoline_cr3:
	.quad 0
smp_trampoline_end:

	.section .text.ap_entry64, "ax", @progbits
	.code64
/* In the kernel image: a stack from smp_boot.c (smp_ap_rsp), then C. */
ap_entry64:
	flat_data_segments
	mov smp_ap_rsp(%rip), %rsp
	call_for_good smp_ap_main

	.section .note.GNU-stack, "", @progbits
