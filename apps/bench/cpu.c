/* cpu: a CPU-bound benchmark job (prime sieve, integer hashing, floating point); prints its result and its own run time. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "cpu_work.h"

#define DEFAULT_UNITS 100

static unsigned char composite[SIEVE_SIZE];

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
		result = result * 31 + (sieve(composite) ^ mix(result + (uint64_t)u));
	double elapsed = now_ms() - start;
	printf("cpu: units=%d result=%016llx elapsed_ms=%.3f\n", units,
	       (unsigned long long)result, elapsed);
	return 0;
}
