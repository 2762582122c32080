/* Boot test: SIGALRM blocked, pending (sigpending), then delivered by sigsuspend with a mask that lets it in. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <sys/time.h>
#include <unistd.h>

static volatile sig_atomic_t fired;

static void on_alarm(int sig)
{
	(void)sig;
	fired++;
}

int main(void)
{
	signal(SIGALRM, on_alarm);
	sigset_t block, old, pend;
	sigemptyset(&block);
	sigaddset(&block, SIGALRM);
	sigprocmask(SIG_BLOCK, &block, &old);
	struct itimerval v = { .it_value = { .tv_usec = 100000 } };
	setitimer(ITIMER_REAL, &v, NULL);
	usleep(400000); /* expires while blocked: stays pending, sleep not interrupted */
	sigpending(&pend);
	printf("while blocked: fired=%d pending=%d\n", (int)fired, sigismember(&pend, SIGALRM));
	sigset_t wait_mask = old;
	sigdelset(&wait_mask, SIGALRM);
	int r = sigsuspend(&wait_mask);
	int err = errno;
	sigset_t after;
	sigprocmask(SIG_SETMASK, NULL, &after);
	printf("sigsuspend=%d %s fired=%d mask restored=%d\n", r, err == EINTR ? "EINTR" : "?",
	       (int)fired, sigismember(&after, SIGALRM));
	return 0;
}
