/* Boot test: setitimer with an interval fires again and again; getitimer reports it; disarm stops it. */
#include <signal.h>
#include <stdio.h>
#include <sys/time.h>
#include <unistd.h>

static volatile sig_atomic_t count;

static void on_alarm(int sig)
{
	(void)sig;
	count++;
}

int main(void)
{
	signal(SIGALRM, on_alarm); /* BSD semantics: stays installed */
	struct itimerval v = { .it_value = { .tv_usec = 50000 }, .it_interval = { .tv_usec = 50000 } };
	if (setitimer(ITIMER_REAL, &v, NULL) != 0)
		return 1;
	struct itimerval now;
	getitimer(ITIMER_REAL, &now);
	printf("interval %ld us, armed %s\n", (long)now.it_interval.tv_usec,
	       now.it_value.tv_sec || now.it_value.tv_usec ? "yes" : "no");
	while (count < 5)
		pause();
	struct itimerval off = { 0 };
	setitimer(ITIMER_REAL, &off, NULL);
	int at_stop = count;
	usleep(300000);
	printf("fired %d times, then %s after disarming\n", at_stop,
	       count == at_stop ? "none" : "more");
	return 0;
}
