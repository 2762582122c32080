/* Boot-time setup of the stack canary (kernel-internal). */
#ifndef STACKPROT_INIT_H
#define STACKPROT_INIT_H

/* Randomise __stack_chk_guard. Call first in kmain, which must not be protected. */
void stackprot_init(void);

/* Where the canary came from: "rdseed", "rdrand" or "tsc-jitter" (after stackprot_init). */
const char *stackprot_source(void);

#endif
