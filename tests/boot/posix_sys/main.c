/* Boot test: uname, rlimits, getrusage, setsid, thread names (prctl, pthread_*name_np), affinity, cancellation state, itimers (CPU-time ones: ENOSYS), dlopen. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/utsname.h>
#include <unistd.h>

#define CHECK(cond) do { if (!(cond)) { printf("posix_sys FAIL line %d: %s (errno %d)\n", __LINE__, #cond, errno); return 1; } } while (0)

int main(void)
{
	struct utsname u;
	CHECK(uname(&u) == 0);
	CHECK(strcmp(u.sysname, "skiff") == 0 && strcmp(u.machine, "x86_64") == 0);

	struct rlimit rl;
	CHECK(getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur == 65536 && rl.rlim_max == 65536);
	rl.rlim_cur = 1000;
	CHECK(setrlimit(RLIMIT_NOFILE, &rl) == 0);
	CHECK(getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur == 1000);
	rl.rlim_cur = rl.rlim_max = 100000;
	CHECK(setrlimit(RLIMIT_NOFILE, &rl) == -1 && errno == EPERM);
	rl.rlim_cur = 0;
	rl.rlim_max = 0;
	CHECK(setrlimit(RLIMIT_CORE, &rl) == 0 && getrlimit(RLIMIT_CORE, &rl) == 0 && rl.rlim_cur == 0);
	CHECK(getrlimit(99, &rl) == -1 && errno == EINVAL);

	struct rusage ru;
	usleep(10000);
	CHECK(getrusage(RUSAGE_SELF, &ru) == 0);
	CHECK(ru.ru_utime.tv_sec > 0 || ru.ru_utime.tv_usec >= 10000);
	CHECK(getrusage(RUSAGE_CHILDREN, &ru) == 0 && ru.ru_utime.tv_sec == 0 && ru.ru_utime.tv_usec == 0);

	CHECK(setsid() == -1 && errno == EPERM);

	char name[16];
	CHECK(pthread_setname_np(pthread_self(), "redis-main") == 0);
	CHECK(pthread_getname_np(pthread_self(), name, sizeof(name)) == 0 && strcmp(name, "redis-main") == 0);
	CHECK(pthread_setname_np(pthread_self(), "a-name-that-is-too-long") == ERANGE);
	CHECK(prctl(PR_SET_NAME, "bio_close_file_and_more") == 0);
	CHECK(prctl(PR_GET_NAME, name) == 0 && strcmp(name, "bio_close_file_") == 0);
	CHECK(prctl(12345, 0) == -1 && errno == EINVAL);

	cpu_set_t set;
	CPU_ZERO(&set);
	CHECK(sched_getaffinity(0, sizeof(set), &set) == 0 && CPU_ISSET(0, &set) && CPU_COUNT(&set) == 1);
	CPU_ZERO(&set);
	CPU_SET(1, &set);
	CHECK(sched_setaffinity(0, sizeof(set), &set) == -1 && errno == EINVAL);
	CPU_SET(0, &set);
	CHECK(sched_setaffinity(0, sizeof(set), &set) == 0);

	int old;
	CHECK(pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &old) == 0 && old == PTHREAD_CANCEL_ENABLE);
	CHECK(pthread_setcancelstate(PTHREAD_CANCEL_ENABLE, &old) == 0 && old == PTHREAD_CANCEL_DISABLE);
	CHECK(pthread_setcanceltype(PTHREAD_CANCEL_ASYNCHRONOUS, &old) == 0 && old == PTHREAD_CANCEL_DEFERRED);
	CHECK(pthread_setcanceltype(7, &old) == EINVAL);
	CHECK(pthread_cancel(pthread_self()) == ENOSYS);

	struct itimerval it = { { 0, 0 }, { 0, 0 } }, prev;
	CHECK(setitimer(ITIMER_REAL, &it, &prev) == 0 && prev.it_value.tv_sec == 0);
	CHECK(getitimer(ITIMER_REAL, &prev) == 0 && prev.it_value.tv_usec == 0);
	it.it_value.tv_sec = 100; /* armed, then disarmed: the old value is what was left */
	CHECK(setitimer(ITIMER_REAL, &it, NULL) == 0);
	struct itimerval zero = { { 0, 0 }, { 0, 0 } };
	CHECK(setitimer(ITIMER_REAL, &zero, &prev) == 0 && prev.it_value.tv_sec >= 99);
	CHECK(setitimer(ITIMER_VIRTUAL, &it, NULL) == -1 && errno == ENOSYS);

	CHECK(dlerror() == NULL);
	CHECK(dlopen("libfoo.so", RTLD_NOW) == NULL);
	const char *why = dlerror();
	CHECK(why && strstr(why, "libfoo.so") && strstr(why, "no dynamic loading"));
	CHECK(dlerror() == NULL);

	printf("posix_sys ok %s\n", u.sysname);
	return 0;
}
