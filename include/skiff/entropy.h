/* Randomness from the CPU: RDSEED/RDRAND where present, else a TSC-jitter mix (not cryptographic). */
#ifndef SKIFF_ENTROPY_H
#define SKIFF_ENTROPY_H

#include <stddef.h>
#include <stdint.h>

/* Fill buf with len random bytes. Returns 1 if every byte came from the CPU's
 * random-number instructions, 0 if some came from the TSC-jitter fallback. */
int entropy_fill(void *buf, size_t len);

/* Which source entropy_fill uses on this CPU: "rdseed", "rdrand" or "tsc-jitter". */
const char *entropy_source(void);

#endif
