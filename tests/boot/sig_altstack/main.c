/* Boot test: an SA_ONSTACK handler runs on the sigaltstack (a local's address lies inside it). */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char *alt_lo, *alt_hi;
static volatile int on_alt = -1, flags_inside = -1;

static void on_alarm(int sig)
{
	char local;
	(void)sig;
	on_alt = &local >= alt_lo && &local < alt_hi;
	stack_t cur;
	sigaltstack(NULL, &cur);
	flags_inside = cur.ss_flags;
}

int main(void)
{
	stack_t ss = { .ss_size = SIGSTKSZ * 4 };
	ss.ss_sp = malloc(ss.ss_size);
	alt_lo = ss.ss_sp;
	alt_hi = alt_lo + ss.ss_size;
	if (sigaltstack(&ss, NULL) != 0)
		return 1;
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sa.sa_flags = SA_ONSTACK;
	sigaction(SIGALRM, &sa, NULL);
	alarm(1);
	pause();
	char here;
	printf("handler on alternate stack: %d, SS_ONSTACK inside: %d, main not on it: %d\n",
	       on_alt, flags_inside == SS_ONSTACK, !(&here >= alt_lo && &here < alt_hi));
	stack_t small = { .ss_sp = alt_lo, .ss_size = 16 };
	printf("too small: %d\n", sigaltstack(&small, NULL));
	return 0;
}
