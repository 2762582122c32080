/* Multiboot v1 header (a.out kludge, so an ELF64 loads): linked only into `skiff build --multiboot`
 * images, because QEMU prefers Multiboot over PVH when a file carries both. */
	.section .text.multiboot, "ax", @progbits
	.align 4
mb_header:
	.long 0x1badb002                        /* magic */
	.long 0x00010003                        /* page-align, memory info, address fields */
	.long -(0x1badb002 + 0x00010003)        /* checksum */
	.long mb_header                         /* header_addr */
	.long __image_start                     /* load_addr */
	.long __ksyms_end                       /* load_end_addr: text, rodata, data, symbols */
	.long __image_end                       /* bss_end_addr */
	.long mb_start32                        /* entry_addr */

	.section .note.GNU-stack, "", @progbits
