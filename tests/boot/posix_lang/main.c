/* Boot test: C11 atomics, long-double rounding, timezone, program_invocation_name, SSIZE_MAX, syslog, SA_SIGINFO/SA_RESETHAND, errno names. */
#define _GNU_SOURCE
#include <errno.h>
#include <features.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>
#include <termios.h>
#include <time.h>

#define CHECK(cond) do { if (!(cond)) { printf("posix_lang FAIL line %d: %s (errno %d)\n", __LINE__, #cond, errno); return 1; } } while (0)

long double ceill(long double);
long double floorl(long double);
long long llroundl(long double);

static _Atomic long counter;
static atomic_flag flag = ATOMIC_FLAG_INIT;
static int got_sig, got_code, calls;

static void on_info(int sig, siginfo_t *info, void *ctx)
{
	(void)ctx;
	got_sig = info->si_signo == sig ? sig : -1;
	got_code = info->si_code;
	calls++;
}

int main(void)
{
	atomic_store_explicit(&counter, 5, memory_order_relaxed);
	CHECK(atomic_fetch_add_explicit(&counter, 3, memory_order_relaxed) == 5);
	CHECK(atomic_fetch_sub(&counter, 1) == 8 && atomic_load(&counter) == 7);
	long expected = 7;
	CHECK(atomic_compare_exchange_strong(&counter, &expected, 42) && counter == 42);
	CHECK(!atomic_compare_exchange_strong(&counter, &expected, 1) && expected == 42);
	CHECK(atomic_exchange(&counter, 9) == 42);
	CHECK(!atomic_flag_test_and_set(&flag) && atomic_flag_test_and_set(&flag));
	atomic_flag_clear(&flag);
	CHECK(!atomic_flag_test_and_set(&flag));

	CHECK(ceill(1.25L) == 2.0L && ceill(-1.25L) == -1.0L && ceill(3.0L) == 3.0L);
	CHECK(signbit(ceill(-0.5L)) && floorl(-1.25L) == -2.0L && floorl(2.75L) == 2.0L);
	CHECK(llroundl(2.5L) == 3 && llroundl(-2.5L) == -3 && llroundl(2.49L) == 2);
	CHECK(llroundl(0.49999999999999999995L) == 0 && llroundl(1e18L) == 1000000000000000000LL);

	tzset();
	CHECK(timezone == 0); /* UTC: no TZ */
	CHECK(strcmp(program_invocation_short_name, "posix_lang.elf") == 0);
	CHECK(SSIZE_MAX == LONG_MAX && ESOCKTNOSUPPORT != EPROTONOSUPPORT);
	struct winsize ws;
	CHECK(sizeof(ws.ws_col) == 2 && TIOCGWINSZ == 0x5413);

	openlog("lang", LOG_PID, LOG_DAEMON);
	syslog(LOG_WARNING, "syslog says %d", 42);
	setlogmask(LOG_UPTO(LOG_WARNING));
	syslog(LOG_DEBUG, "hidden debug line");
	closelog();

	struct sigaction sa, old;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_info;
	sa.sa_flags = SA_SIGINFO | SA_RESETHAND | SA_NODEFER;
	CHECK(sigaction(SIGUSR1, &sa, NULL) == 0);
	CHECK(raise(SIGUSR1) == 0 && got_sig == SIGUSR1 && got_code == SI_USER && calls == 1);
	CHECK(sigaction(SIGUSR1, NULL, &old) == 0 && old.sa_handler == SIG_DFL);
	sa.sa_flags = SA_SIGINFO;
	CHECK(sigaction(SIGUSR2, &sa, NULL) == 0);
	CHECK(raise(SIGUSR2) == 0 && raise(SIGUSR2) == 0 && calls == 3);
	CHECK(sigaction(SIGUSR2, NULL, &old) == 0 && old.sa_sigaction == on_info && (old.sa_flags & SA_SIGINFO));

	printf("posix_lang ok\n");
	return 0;
}
