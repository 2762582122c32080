/* Boot test: a busy loop `while (!flag);` ends through SIGALRM (delivered on an interrupt's way out). */
#include <signal.h>
#include <stdio.h>
#include <sys/time.h>

static volatile sig_atomic_t flag;
static volatile double acc = 1.0;

static void on_alarm(int sig)
{
	(void)sig;
	double x = 3.0; /* SSE in the handler must not disturb the loop's registers */
	for (int i = 0; i < 100; i++)
		x = x * 1.0001 + 0.5;
	flag = x > 0;
}

int main(void)
{
	signal(SIGALRM, on_alarm);
	struct itimerval v = { .it_value = { .tv_usec = 200000 } };
	if (setitimer(ITIMER_REAL, &v, NULL) != 0)
		return 1;
	double local = 1.0;
	unsigned long spins = 0;
	while (!flag) {
		local = local * 1.0000001;
		spins++;
	}
	acc = local;
	printf("busy loop ended by SIGALRM after %s spins, loop state %s\n",
	       spins > 0 ? "some" : "no", local >= 1.0 ? "intact" : "clobbered");
	return 0;
}
