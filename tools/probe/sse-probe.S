/* KVM probe: enable SSE, round-trip a value through %xmm0, exit with it via isa-debug-exit.
 * QEMU exits with status (0x31 << 1) | 1 = 0x63 only if the SSE instructions really ran. */
#include "pvh-note.h"

#define DEBUG_EXIT_PORT 0xf4
#define CR0_EM (1 << 2)
#define CR0_MP (1 << 1)
#define CR4_OSFXSR_OSXMMEXCPT 0x600

	.code32
	.text
	.globl _start
_start:
	cli
	mov %cr0, %eax
	and $~CR0_EM, %eax
	or $CR0_MP, %eax
	mov %eax, %cr0
	mov %cr4, %eax
	or $CR4_OSFXSR_OSXMMEXCPT, %eax
	mov %eax, %cr4
	pxor %xmm0, %xmm0
	movq probe_value, %xmm0
	movd %xmm0, %eax
	mov $DEBUG_EXIT_PORT, %dx
	outl %eax, %dx
1:	hlt
	jmp 1b

	.section .rodata
	.balign 8
probe_value:
	.quad 0x31
