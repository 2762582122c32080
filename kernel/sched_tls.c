/* Thread-local storage (x86-64 variant II): block below the thread pointer, TCB at it, FS base per thread. */
#include "sched_tls.h"
#include "cpu.h"

#define MSR_FS_BASE 0xC0000100u
/* The TCB at the thread pointer: word 0 points to itself (what `mov %fs:0` reads
 * for the address of a thread-local); the rest mirrors glibc's layout so code
 * that expects a stack-guard slot at %fs:0x28 finds harmless zeros. */
#define TCB_BYTES 64

/* From kernel.ld: the template, and its alignment as an absolute symbol. */
extern char __tdata_start[], __tdata_end[], __tbss_end[], __tls_align[];

static uint64_t tls_align(void)
{
	uint64_t a = (uint64_t)__tls_align;
	return a < 16 ? 16 : a; /* keeps the stack below it 16-byte aligned too */
}

/* The block's size: the offsets ld gave thread-locals are from the thread
 * pointer minus the template size rounded up to its alignment. */
static uint64_t block_bytes(void)
{
	uint64_t a = (uint64_t)__tls_align ? (uint64_t)__tls_align : 1;
	uint64_t memsz = (uint64_t)__tbss_end - (uint64_t)__tdata_start;
	return (memsz + a - 1) & ~(a - 1);
}

uint64_t tls_area_bytes(void)
{
	if ((uint64_t)__tbss_end == (uint64_t)__tdata_start)
		return 0;
	return block_bytes() + TCB_BYTES + tls_align() - 1;
}

uint64_t tls_setup(uint64_t top, uint64_t *bottom)
{
	uint64_t tp = (top - TCB_BYTES) & ~(tls_align() - 1);
	uint64_t block = tp - block_bytes();
	uint64_t filesz = (uint64_t)__tdata_end - (uint64_t)__tdata_start;
	uint8_t *b = (uint8_t *)block;
	for (uint64_t i = 0; i < filesz; i++)
		b[i] = (uint8_t)__tdata_start[i];
	for (uint64_t i = filesz; i < tp + TCB_BYTES - block; i++)
		b[i] = 0; /* .tbss, the padding and the TCB */
	*(uint64_t *)tp = tp;
	*bottom = block;
	return tp;
}

void tls_set_base(uint64_t tp)
{
	wrmsr(MSR_FS_BASE, tp);
}
