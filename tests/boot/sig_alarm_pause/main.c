/* Boot test: alarm(1) then pause(): the SIGALRM handler runs, pause returns -1/EINTR. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t fired;

static void on_alarm(int sig)
{
	fired = sig;
}

int main(void)
{
	struct sigaction sa = { .sa_handler = on_alarm };
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGALRM, &sa, NULL) != 0)
		return 1;
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (alarm(1) != 0)
		return 2;
	int r = pause();
	int err = errno;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	long ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
	printf("pause=%d errno=%s fired=%d waited=%s\n", r, err == EINTR ? "EINTR" : "other",
	       (int)fired, ms >= 990 ? "1s" : "short");
	/* alarm() reports what was left of the previous one. */
	alarm(5);
	unsigned left = alarm(0);
	printf("left=%u\n", left);
	return 0;
}
