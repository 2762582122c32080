/* The kernel ELF inside the stub: KERNEL_BLOB names the stripped image at build time. */
#ifndef KERNEL_BLOB
#error "build with -DKERNEL_BLOB='\"/path/to/app.elf\"'"
#endif
	.section .rodata.skiff_kernel, "a", @progbits
	.balign 16
	.globl skiff_kernel_start, skiff_kernel_end
skiff_kernel_start:
	.incbin KERNEL_BLOB
skiff_kernel_end:

	.section .note.GNU-stack, "", @progbits
