/* The stack canary: randomised at boot from RDSEED/RDRAND (TSC jitter where absent); a mismatch panics. */
#include <skiff/boot.h>
#include <skiff/entropy.h>
#include <skiff/stackprot.h>
#include "ksyms.h"
#include "stackprot_init.h"

/* Until stackprot_init runs: a fixed value with a NUL, CR, LF and 0xff in it. */
uintptr_t __stack_chk_guard = 0x0aff0d0a00ff0a00ULL;

static const char *canary_source;

__attribute__((no_stack_protector)) void stackprot_init(void)
{
	uintptr_t c;

	canary_source = entropy_fill(&c, sizeof(c)) ? entropy_source() : "tsc-jitter";
	/* A zero low byte stops string functions from copying the canary back. */
	__stack_chk_guard = c & ~(uintptr_t)0xff;
}

const char *stackprot_source(void)
{
	return canary_source;
}

void __stack_chk_fail(void)
{
	uint64_t at = (uint64_t)__builtin_return_address(0), off = 0;
	const char *fn = ksyms_lookup(at - 1, &off);

	sk_panic("stack smashing detected in %s: its stack canary was overwritten "
		 "(a buffer on its stack overflowed)", fn ? fn : "unknown code");
}
