/* getentropy(): RDRAND where the CPU has it, else TSC jitter (logged: not
 * cryptographic). newlib's arc4random() seeds itself from here. */
#include <cpuid.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "shim.h"

#define GETENTROPY_MAX 256 /* POSIX: larger requests fail with EIO */
#define RDRAND_TRIES 10

static int have_rdrand(void)
{
	static int known, present;
	unsigned a, b, c, d;

	if (!known) {
		present = __get_cpuid(1, &a, &b, &c, &d) && (c & bit_RDRND);
		known = 1;
	}
	return present;
}

static int rdrand64(uint64_t *out)
{
	for (int i = 0; i < RDRAND_TRIES; i++) {
		unsigned char ok;
		__asm__ volatile("rdrand %0; setc %1" : "=r"(*out), "=qm"(ok) : : "cc");
		if (ok)
			return 1;
	}
	return 0;
}

static uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

/* splitmix64 over the TSC, the wall clock and a running state. */
static uint64_t jitter64(void)
{
	static uint64_t state;
	uint64_t z;

	state += 0x9e3779b97f4a7c15ULL ^ rdtsc() ^ clock_realtime_ns();
	z = state;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

int getentropy(void *buf, size_t len)
{
	unsigned char *p = buf;

	if (len > GETENTROPY_MAX) {
		errno = EIO;
		return -1;
	}
	while (len > 0) {
		uint64_t word;
		if (!have_rdrand() || !rdrand64(&word)) {
			shim_log_once("getentropy-jitter",
				      "getentropy(): no RDRAND, using TSC jitter (not cryptographic)");
			word = jitter64();
		}
		size_t n = len < sizeof(word) ? len : sizeof(word);
		memcpy(p, &word, n);
		p += n;
		len -= n;
	}
	return 0;
}
