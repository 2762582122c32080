/* Boot test: timer_create with SIGEV_SIGNAL delivers its si_value (SA_SIGINFO, SI_TIMER); gettime, delete. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static volatile int got_value, got_code, got_signo, hits;

static void on_timer(int sig, siginfo_t *info, void *ctx)
{
	(void)ctx;
	got_signo = sig;
	got_code = info->si_code;
	got_value = info->si_value.sival_int;
	hits++;
}

int main(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_timer;
	sa.sa_flags = SA_SIGINFO;
	if (sigaction(SIGUSR1, &sa, NULL) != 0)
		return 1;
	struct sigevent sev;
	memset(&sev, 0, sizeof(sev));
	sev.sigev_notify = SIGEV_SIGNAL;
	sev.sigev_signo = SIGUSR1;
	sev.sigev_value.sival_int = 4242;
	timer_t id;
	if (timer_create(CLOCK_MONOTONIC, &sev, &id) != 0)
		return 2;
	struct itimerspec its = { .it_value = { .tv_nsec = 100000000 } };
	if (timer_settime(id, 0, &its, NULL) != 0)
		return 3;
	struct itimerspec cur;
	timer_gettime(id, &cur);
	printf("armed: %s\n", cur.it_value.tv_nsec > 0 && cur.it_value.tv_nsec <= 100000000 ? "yes" : "no");
	while (!hits)
		pause();
	printf("signo ok=%d code=%s value=%d\n", got_signo == SIGUSR1,
	       got_code == SI_TIMER ? "SI_TIMER" : "other", got_value);
	/* An absolute CLOCK_REALTIME timer. */
	timer_t rt;
	sev.sigev_value.sival_int = 7;
	if (timer_create(CLOCK_REALTIME, &sev, &rt) != 0)
		return 4;
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	its.it_value.tv_sec = now.tv_sec + (now.tv_nsec >= 800000000);
	its.it_value.tv_nsec = (now.tv_nsec + 200000000) % 1000000000;
	if (timer_settime(rt, TIMER_ABSTIME, &its, NULL) != 0)
		return 5;
	while (hits < 2)
		pause();
	printf("absolute: value=%d\n", got_value);
	int first = timer_delete(id);
	int again = timer_delete(id);
	printf("delete=%d again=%d\n", first, again);
	return 0;
}
