/* Boot test: CLOCK_REALTIME is a plausible date and time()/gettimeofday() agree. */
#include <stdio.h>
#include <sys/time.h>
#include <time.h>

#define Y2020 1577836800 /* 2020-01-01T00:00:00Z */

int main(void)
{
	struct timespec ts;
	struct timeval tv;

	if (clock_gettime(CLOCK_REALTIME, &ts) != 0 || ts.tv_sec <= Y2020) {
		printf("realtime FAIL: %lld\n", (long long)ts.tv_sec);
		return 1;
	}
	time_t now = time(NULL);
	if (now < ts.tv_sec || now - ts.tv_sec > 2) {
		printf("realtime FAIL: time() %lld vs %lld\n", (long long)now, (long long)ts.tv_sec);
		return 1;
	}
	if (gettimeofday(&tv, NULL) != 0 || tv.tv_sec < ts.tv_sec || tv.tv_sec - ts.tv_sec > 2) {
		printf("realtime FAIL: gettimeofday %lld\n", (long long)tv.tv_sec);
		return 1;
	}
	printf("realtime ok\n");
	return 0;
}
