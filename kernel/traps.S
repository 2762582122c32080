/* Interrupt and exception entry stubs: build a struct trap_frame and call trap_dispatch. */

/* Vectors whose exceptions push an error code. */
#define HAS_ERR(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || (v) == 21 || (v) == 29 || (v) == 30)

	.altmacro
	.macro STUB v
	.align 16
	.if HAS_ERR(\v)
	pushq $\v
	.else
	pushq $0
	pushq $\v
	.endif
	jmp trap_common
	.endm

	.text
	.align 16
	.globl trap_stubs
trap_stubs:
	.set vec, 0
	.rept 64
	STUB %vec
	.set vec, vec + 1
	.endr
	STUB 253
	STUB 254
	STUB 255

trap_common:
	pushq %rax
	pushq %rbx
	pushq %rcx
	pushq %rdx
	pushq %rsi
	pushq %rdi
	pushq %rbp
	pushq %r8
	pushq %r9
	pushq %r10
	pushq %r11
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	mov %rsp, %rdi
	cld
	call trap_dispatch
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %r11
	popq %r10
	popq %r9
	popq %r8
	popq %rbp
	popq %rdi
	popq %rsi
	popq %rdx
	popq %rcx
	popq %rbx
	popq %rax
	add $16, %rsp                   /* vector and error code */
	iretq

	.section .rodata
	.align 8
	.globl trap_stub_table
trap_stub_table:                        /* 67 entries: vectors 0..63, then 253, 254, 255 */
	.set vec, 0
	.rept 64
	.quad trap_stubs + vec * 16
	.set vec, vec + 1
	.endr
	.quad trap_stubs + 64 * 16
	.quad trap_stubs + 65 * 16
	.quad trap_stubs + 66 * 16

	.section .note.GNU-stack, "", @progbits
