/* Guest that never exits: says so on the log port, then halts with interrupts off. */
#include "pvh-note.h"

#define LOG_PORT 0xe9

	.code32
	.text
	.globl _start
_start:
	cli
	cld
	mov $waiting, %esi
	mov $waiting_len, %ecx
	mov $LOG_PORT, %dx
	rep outsb
1:	hlt
	jmp 1b

	.section .rodata
waiting:
	.ascii "hang: halted with interrupts off\n"
	.set waiting_len, . - waiting
