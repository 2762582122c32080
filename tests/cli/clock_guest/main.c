/* Clock probe guest: prints CLOCK_REALTIME in nanoseconds, COUNT lines, one every PERIOD_MS. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long count = argc > 1 ? atol(argv[1]) : 100;
	long period_ms = argc > 2 ? atol(argv[2]) : 100;

	for (long i = 0; i < count; i++) {
		struct timespec ts;
		if (clock_gettime(CLOCK_REALTIME, &ts) != 0)
			return 1;
		printf("%lld%09ld\n", (long long)ts.tv_sec, ts.tv_nsec);
		fflush(stdout);
		usleep((useconds_t)period_ms * 1000);
	}
	return 0;
}
