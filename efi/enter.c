/* CPU facts the page tables depend on, and the jump from the stub into the kernel's efi_start64. */
#include <cpuid.h>
#include "stub.h"

int cpu_has_gib_pages(void)
{
	unsigned a, b, c, d;
	if (!__get_cpuid(0x80000001, &a, &b, &c, &d))
		return 0;
	return (d >> 26) & 1; /* Page1GB */
}

int cpu_la57(void)
{
	uint64_t cr4;
	__asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
	return (cr4 >> 12) & 1;
}

/* Boot services are gone: switch to our identity tables and enter with %rdi = handoff. */
void enter_kernel(uint64_t cr3, uint64_t entry, struct efi_handoff *h)
{
	__asm__ volatile("cli\n\t"
			 "mov %0, %%cr3\n\t"
			 "jmp *%1"
			 :
			 : "r"(cr3), "r"(entry), "D"(h)
			 : "memory");
	__builtin_unreachable();
}
