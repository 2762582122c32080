/* Stack-smashing protection: the canary gcc's -fstack-protector-strong code checks, and its failure hook. */
#ifndef SKIFF_STACKPROT_H
#define SKIFF_STACKPROT_H

#include <stdint.h>

/* Every image is compiled with -mstack-protector-guard=global: one canary for all
 * threads, randomised by the kernel before the first protected function runs. */
extern uintptr_t __stack_chk_guard;

/* Called by a protected function whose canary was overwritten: panics. */
void __stack_chk_fail(void) __attribute__((noreturn));

#endif
