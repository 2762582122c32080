/* irq_save / irq_restore's calls into the big kernel lock: C calls that keep every register, so a one-CPU caller's code stays as it was. */
/* Reached only when sk_smp_on is set (include/skiff/sync.h). The callees are kernel C
 * (-mgeneral-regs-only): saving the caller-saved general registers is enough. */

.macro keep_regs_call fn, flags_arg=0
	pushq %rax
	pushq %rcx
	pushq %rdx
	pushq %rsi
	pushq %rdi
	pushq %r8
	pushq %r9
	pushq %r10
	pushq %r11
	pushq %rbp
	mov %rsp, %rbp
	and $-16, %rsp
	.if \flags_arg
	mov 88(%rbp), %rdi /* above 10 saved registers and the return address */
	.endif
	call \fn
	mov %rbp, %rsp
	popq %rbp
	popq %r11
	popq %r10
	popq %r9
	popq %r8
	popq %rdi
	popq %rsi
	popq %rdx
	popq %rcx
	popq %rax
	ret
.endm

	.text
	.globl sk_smp_lock_save_thunk, sk_smp_unlock_thunk
/* Interrupts off; the flags irq_save pushed are just above the return address. */
sk_smp_lock_save_thunk:
	keep_regs_call sk_smp_lock_save, 1

sk_smp_unlock_thunk:
	keep_regs_call sk_smp_unlock

	.section .note.GNU-stack, "", @progbits
