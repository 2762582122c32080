/* PVH boot note shared by the probe guests: QEMU enters _start in 32-bit protected mode. */
#define XEN_ELFNOTE_PHYS32_ENTRY 18

	.pushsection .note.Xen, "a", @note
	.balign 4
	.long 4                         /* name size: "Xen\0" */
	.long 4                         /* descriptor size: a 32-bit address */
	.long XEN_ELFNOTE_PHYS32_ENTRY
	.asciz "Xen"
	.balign 4
	.long _start
	.popsection
