/* Boot test: sleep(5) cut short by SIGALRM after 1 s returns the seconds left; nanosleep gives EINTR and rem. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

static void on_alarm(int sig)
{
	(void)sig;
}

int main(void)
{
	struct sigaction sa = { .sa_handler = on_alarm };
	sigaction(SIGALRM, &sa, NULL);
	alarm(1);
	unsigned left = sleep(5);
	printf("sleep(5) returned %u\n", left);
	alarm(1);
	struct timespec req = { .tv_sec = 3 }, rem = { 0 };
	int r = nanosleep(&req, &rem);
	printf("nanosleep=%d %s rem=%lds\n", r, errno == EINTR ? "EINTR" : "?",
	       (long)rem.tv_sec + (rem.tv_nsec >= 500000000));
	return 0;
}
