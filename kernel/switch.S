/* Context switch: save callee-saved registers and flags on the old stack, load the new one. */
	.text
	.globl sched_switch
/* void sched_switch(uint64_t *save_rsp, uint64_t load_rsp) */
sched_switch:
	pushq %rbp
	pushq %rbx
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	pushfq
	mov %rsp, (%rdi)
	mov %rsi, %rsp
	popfq
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbx
	popq %rbp
	ret

	.section .note.GNU-stack, "", @progbits
