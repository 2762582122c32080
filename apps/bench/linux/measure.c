/* measure: run a command; report its start and end (CLOCK_MONOTONIC ns), exit status and peak RSS (wait4) on a file descriptor. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/*
 * The host bench (tools/skiffpy/bench/measure.py) starts every variant through this
 * small static program rather than from Python directly: a child forked from Python
 * carries Python's pages into its ru_maxrss (exec records the old mm's high-water
 * mark), one forked from here carries only this program's few pages.
 */

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: measure REPORT_FD PROGRAM [ARGS...]\n");
		return 2;
	}
	int report = atoi(argv[1]);
	if (report <= 2 || fcntl(report, F_SETFD, FD_CLOEXEC) < 0) {
		fprintf(stderr, "measure: REPORT_FD %s is not an open descriptor above 2\n", argv[1]);
		return 2;
	}
	long long start = now_ns();
	pid_t pid = fork();
	if (pid < 0) {
		perror("measure: fork");
		return 2;
	}
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);	/* no VM outlives a killed bench */
		execvp(argv[2], argv + 2);
		perror(argv[2]);
		_exit(127);
	}
	int status;
	struct rusage ru;
	while (wait4(pid, &status, 0, &ru) < 0) {
		if (errno != EINTR) {
			perror("measure: wait4");
			return 2;
		}
	}
	long long end = now_ns();
	int code = WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
	dprintf(report, "start_ns=%lld end_ns=%lld status=%d maxrss_kb=%ld\n", start, end, code,
		ru.ru_maxrss);
	return code < 0 ? 128 - code : code;
}
