/* Boot test: getrusage counts the program's time (it grows over a busy loop) and no children's. */
#include <errno.h>
#include <stdio.h>
#include <sys/resource.h>
#include <time.h>

static long long us(const struct timeval *tv)
{
	return (long long)tv->tv_sec * 1000000 + tv->tv_usec;
}

int main(void)
{
	struct rusage a, b, c;
	struct timespec t0, t1;

	if (getrusage(RUSAGE_SELF, &a) != 0) {
		printf("getrusage FAIL: %d\n", errno);
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	do
		clock_gettime(CLOCK_MONOTONIC, &t1);
	while ((t1.tv_sec - t0.tv_sec) * 1000000000LL + t1.tv_nsec - t0.tv_nsec < 20000000);
	getrusage(RUSAGE_SELF, &b);
	long long spent = us(&b.ru_utime) - us(&a.ru_utime);
	if (us(&a.ru_utime) <= 0 || spent < 20000 || b.ru_utime.tv_usec >= 1000000) {
		printf("getrusage FAIL: %lld then +%lld us\n", us(&a.ru_utime), spent);
		return 1;
	}
	if (getrusage(RUSAGE_CHILDREN, &c) != 0 || us(&c.ru_utime) != 0 || us(&c.ru_stime) != 0) {
		printf("getrusage FAIL: children\n");
		return 1;
	}
	errno = 0;
	if (getrusage(42, &c) != -1 || errno != EINVAL) {
		printf("getrusage FAIL: who 42\n");
		return 1;
	}
	printf("getrusage ok\n");
	return 0;
}
