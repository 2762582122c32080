/* Boot test: a busy loop `while (!flag);` ends through SIGALRM (delivered on an interrupt's way out), SSE state intact. */
#include <signal.h>
#include <stdio.h>
#include <sys/time.h>

static volatile sig_atomic_t flag;
static volatile double sink;

static void on_alarm(int sig)
{
	(void)sig;
	/* Plenty of SSE work: it must not leak into the interrupted loop's registers. */
	double x = 3.0, y = 0.25, z = -7.5, w = 11.0;
	for (int i = 0; i < 1000; i++) {
		x = x * 1.0001 + y;
		y = y * 0.999 - z;
		z = z * 1.01 + w;
		w = w * 0.5 + x;
	}
	sink = x + y + z + w;
	flag = 1;
}

int main(void)
{
	signal(SIGALRM, on_alarm);
	struct itimerval v = { .it_value = { .tv_usec = 200000 } };
	if (setitimer(ITIMER_REAL, &v, NULL) != 0)
		return 1;
	/* a and b live in SSE registers through the loop; b == 2 * a at every step. */
	double a = 0.0, b = 0.0;
	while (!flag) {
		a += 1.0;
		b += 2.0;
	}
	printf("busy loop ended by SIGALRM after %s iterations, SSE state %s\n",
	       a > 0 ? "some" : "no", b == 2.0 * a ? "intact" : "clobbered");
	return 0;
}
