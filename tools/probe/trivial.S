/* Floor kernel for benchmarks: "hello" on COM1, the exit line on the log port, power off. */
#include "pvh-note.h"

#define COM1_PORT 0x3f8
#define LOG_PORT 0xe9
#define DEBUG_EXIT_PORT 0xf4

	.code32
	.text
	.globl _start
_start:
	cli
	cld
	mov $hello, %esi
	mov $hello_len, %ecx
	mov $COM1_PORT, %dx
	rep outsb
	mov $exit_line, %esi
	mov $exit_line_len, %ecx
	mov $LOG_PORT, %dx
	rep outsb
	xor %eax, %eax
	mov $DEBUG_EXIT_PORT, %dx
	outl %eax, %dx
1:	hlt
	jmp 1b

	.section .rodata
hello:	.ascii "hello\n"
	.set hello_len, . - hello
exit_line:
	.ascii "skiff: exit 0\n"
	.set exit_line_len, . - exit_line
