/* cpu: a CPU-bound benchmark job (prime sieve, integer hashing, floating point); prints its result and its own run time. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SIEVE_SIZE (1u << 20)	/* bytes; one sieve per work unit */
#define MIX_STEPS 2000000u	/* hashing + floating-point steps per work unit */
#define DEFAULT_UNITS 100

static unsigned char composite[SIEVE_SIZE];

static uint64_t sieve(void)
{
	uint64_t count = 0;

	memset(composite, 0, sizeof(composite));
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

int main(int argc, char **argv)
{
	int units = argc > 1 ? atoi(argv[1]) : DEFAULT_UNITS;
	uint64_t result = 0;

	if (units <= 0) {
		fprintf(stderr, "usage: cpu [UNITS]  (UNITS > 0, default %d)\n", DEFAULT_UNITS);
		return 2;
	}
	double start = now_ms();
	for (int u = 0; u < units; u++)
		result = result * 31 + (sieve() ^ mix(result + (uint64_t)u));
	double elapsed = now_ms() - start;
	printf("cpu: units=%d result=%016llx elapsed_ms=%.3f\n", units,
	       (unsigned long long)result, elapsed);
	return 0;
}
