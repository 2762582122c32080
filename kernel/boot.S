/* Boot entries (PVH and Multiboot v1): 32-bit protected mode -> long mode -> kmain. */
#include "boot_defs.h"
#include "enter_c.inc"

/* PVH: QEMU/Firecracker enter pvh_start32 in 32-bit mode, paging off, %ebx = hvm_start_info. */
	.section .note.pvh, "a", @note
	.align 4
	.long 4                 /* name size */
	.long 4                 /* descriptor size */
	.long 18                /* XEN_ELFNOTE_PHYS32_ENTRY */
	.asciz "Xen"
	.align 4
	.long pvh_start32
	.align 4

/* skiff note: where the UEFI stub enters (64-bit, see efi_start64). */
	.section .note.skiff, "a", @note
	.align 4
	.long 6                 /* name size */
	.long 8                 /* descriptor size */
	.long SKIFF_NOTE_EFI_ENTRY
	.asciz "skiff"
	.align 4
	.quad efi_start64
	.align 4

	.section .text.boot, "ax", @progbits
	.code32
	.globl pvh_start32
pvh_start32:
	rdtsc                           /* stamp the very first instruction */
	mov %eax, boot_tsc0
	mov %edx, boot_tsc0 + 4
	movl $BOOT_PROTO_PVH, boot_proto
	mov %ebx, boot_info_paddr
	jmp start32

	.globl mb_start32
mb_start32:                             /* Multiboot: %eax = magic, %ebx = info */
	mov %eax, %ecx
	rdtsc
	mov %eax, boot_tsc0
	mov %edx, boot_tsc0 + 4
	movl $BOOT_PROTO_MULTIBOOT, boot_proto
	mov %ecx, boot_mb_magic
	mov %ebx, boot_info_paddr
	/* fall through */

start32:
	cli
	cld
	/* No .bss clearing here: PVH and Multiboot loaders load an ELF, whose
	 * bytes past p_filesz are zero by definition (ELF gABI; Multiboot's
	 * bss_end_addr). Clearing ~40 KiB again costs ~230 us under TCG. */
	/* Identity-map the first 1 GiB with 2 MiB pages (replaced later by mmu_init). */
	mov $boot_pdpt, %eax
	or $0x3, %eax
	mov %eax, boot_pml4
	mov $boot_pd, %eax
	or $0x3, %eax
	mov %eax, boot_pdpt
	xor %ecx, %ecx
1:	mov %ecx, %eax
	shl $21, %eax
	or $0x83, %eax                  /* present | writable | 2 MiB */
	mov %eax, boot_pd(, %ecx, 8)
	inc %ecx
	cmp $512, %ecx
	jne 1b

	mov %cr4, %eax
	or $0x20, %eax                  /* CR4.PAE */
	mov %eax, %cr4
	mov $boot_pml4, %eax
	mov %eax, %cr3

	mov $0x80000001, %eax           /* NX available? */
	cpuid
	and $(1 << 20), %edx
	mov %edx, boot_nx
	mov $0xC0000080, %ecx           /* EFER */
	rdmsr
	or $0x100, %eax                 /* LME */
	cmpl $0, boot_nx
	je 2f
	or $0x800, %eax                 /* NXE */
2:	wrmsr

	mov %cr0, %eax
	or $0x80010001, %eax            /* PG | WP | PE */
	mov %eax, %cr0

	lgdt boot_gdt_desc
	ljmp $0x08, $start64

	.code64
start64:
	flat_data_segments
	mov $boot_stack_top, %rsp
	call_for_good kmain

/* UEFI hand-off: %rdi = struct efi_handoff * (below 4 GiB), long mode on the firmware's
 * identity page tables, boot services exited, interrupts off. */
	.globl efi_start64
efi_start64:
	cli
	cld
	mov %rdi, %rbx
	rdtsc
	mov %eax, boot_tsc0(%rip)
	mov %edx, boot_tsc0 + 4(%rip)
	movl $BOOT_PROTO_EFI, boot_proto(%rip)
	mov %ebx, boot_info_paddr(%rip)
	lea __bss_start(%rip), %rdi
	lea __bss_end(%rip), %rcx
	sub %rdi, %rcx
	xor %eax, %eax
	rep stosb
	mov $0x80000001, %eax           /* NX available? then make sure EFER.NXE is on */
	cpuid
	and $(1 << 20), %edx
	mov %edx, boot_nx(%rip)
	jz 5f
	mov $0xC0000080, %ecx
	rdmsr
	or $0x800, %eax
	wrmsr
5:	mov %cr0, %rax
	or $0x10000, %rax               /* WP: W^X holds in ring 0 */
	mov %rax, %cr0
	lgdt boot_gdt_desc(%rip)
	pushq $0x08
	lea 6f(%rip), %rax
	pushq %rax
	lretq
6:	flat_data_segments
	lea boot_stack_top(%rip), %rsp
	call_for_good kmain

	.section .rodata
	.align 16
boot_gdt:
	.quad 0
	.quad 0x00af9a000000ffff        /* 0x08: 64-bit code */
	.quad 0x00cf92000000ffff        /* 0x10: data */
boot_gdt_end:
boot_gdt_desc:                          /* 32-bit lgdt reads 6 bytes, 64-bit 10 */
	.word boot_gdt_end - boot_gdt - 1
	.quad boot_gdt

	.section .data
	.align 8
	.globl boot_tsc0, boot_proto, boot_info_paddr, boot_mb_magic, boot_nx
boot_tsc0:	.quad 0
boot_proto:	.long 0
boot_info_paddr: .long 0
boot_mb_magic:	.long 0
boot_nx:	.long 0

	.section .bss.boot_tables, "aw", @nobits
	.align 4096
	.globl boot_pml4
boot_pml4:	.skip 4096
boot_pdpt:	.skip 4096
boot_pd:	.skip 4096

/* Boot stack with a guard page below it (unmapped by mmu_init); it becomes the idle thread's. */
	.section .bss.boot_stack, "aw", @nobits
	.align 4096
	.globl boot_stack_guard, boot_stack_top
boot_stack_guard: .skip 4096
	.skip BOOT_STACK_SIZE
boot_stack_top:

	.section .note.GNU-stack, "", @progbits
