/* cpu_work.h: the work units of the bench's CPU jobs (apps/bench/cpu.c, cpu_par.c): a prime sieve, integer hashing beside a floating-point series, and a clock. */
#ifndef BENCH_CPU_WORK_H
#define BENCH_CPU_WORK_H

#include <stdint.h>
#include <string.h>
#include <time.h>

#define SIEVE_SIZE (1u << 20)	/* bytes; one sieve per work unit */
#define MIX_STEPS 2000000u	/* hashing + floating-point steps per work unit */

/* Primes below SIEVE_SIZE, counted in composite (SIEVE_SIZE bytes). */
static uint64_t sieve(unsigned char *composite)
{
	uint64_t count = 0;

	memset(composite, 0, SIEVE_SIZE);
	for (uint64_t i = 2; i < SIEVE_SIZE; i++) {
		if (composite[i])
			continue;
		count++;
		for (uint64_t j = i * i; j < SIEVE_SIZE; j += i)
			composite[j] = 1;
	}
	return count;
}

/* xorshift64 stream folded into a hash, with a floating-point series beside it. */
static uint64_t mix(uint64_t seed)
{
	uint64_t x = seed | 1, h = 0xcbf29ce484222325ull;
	double series = 0.0;

	for (uint32_t k = 1; k <= MIX_STEPS; k++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		h = (h ^ (x & 0xff)) * 0x100000001b3ull;
		series += 1.0 / ((double)k * (double)k);
	}
	uint64_t bits;
	memcpy(&bits, &series, sizeof(bits));
	return h ^ bits;
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

#endif
