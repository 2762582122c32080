/* Hardware randomness (RDSEED, then RDRAND) with a TSC-jitter fallback; seeds the stack canary and getentropy(). */
#include <cpuid.h>
#include <skiff/entropy.h>
#include "cpu.h" /* rdtsc */

#define HW_TRIES 10 /* Intel's advice: retry a failing RDRAND a few times */

enum { SRC_UNKNOWN, SRC_RDSEED, SRC_RDRAND, SRC_JITTER };

static int source;

static int probe_source(void)
{
	unsigned a, b, c, d;

	if (__get_cpuid_count(7, 0, &a, &b, &c, &d) && (b & bit_RDSEED))
		return SRC_RDSEED;
	if (__get_cpuid(1, &a, &b, &c, &d) && (c & bit_RDRND))
		return SRC_RDRAND;
	return SRC_JITTER;
}

static int hw64(int src, uint64_t *out)
{
	for (int i = 0; i < HW_TRIES; i++) {
		unsigned char ok;
		if (src == SRC_RDSEED)
			__asm__ volatile("rdseed %0; setc %1" : "=r"(*out), "=qm"(ok) : : "cc");
		else
			__asm__ volatile("rdrand %0; setc %1" : "=r"(*out), "=qm"(ok) : : "cc");
		if (ok)
			return 1;
	}
	return 0;
}

/* splitmix64 over the TSC and a running state: unpredictable enough to differ
 * from boot to boot, not cryptographic. */
static uint64_t jitter64(void)
{
	static uint64_t state;
	uint64_t z;

	state += 0x9e3779b97f4a7c15ULL ^ rdtsc();
	z = state;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

const char *entropy_source(void)
{
	if (source == SRC_UNKNOWN)
		source = probe_source();
	return source == SRC_RDSEED ? "rdseed" : source == SRC_RDRAND ? "rdrand" : "tsc-jitter";
}

int entropy_fill(void *buf, size_t len)
{
	unsigned char *p = buf;
	int all_hw = 1;

	if (source == SRC_UNKNOWN)
		source = probe_source();
	while (len > 0) {
		uint64_t word;
		/* RDSEED may run dry under load; RDRAND is the next-best hardware source. */
		if (!(source != SRC_JITTER && hw64(source, &word)) &&
		    !(source == SRC_RDSEED && hw64(SRC_RDRAND, &word))) {
			word = jitter64();
			all_hw = 0;
		}
		size_t n = len < sizeof(word) ? len : sizeof(word);
		for (size_t i = 0; i < n; i++)
			p[i] = (unsigned char)(word >> (8 * i));
		p += n;
		len -= n;
	}
	return all_hw;
}
