/* Boot test: the identity calls (setuid to root ok, to anyone else EPERM), user and group lookups (_r forms, ERANGE), exec and posix_spawn failing with ENOSYS and a log line, get_nprocs and sysinfo. */
#define _GNU_SOURCE
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/sysinfo.h>
#include <unistd.h>

#define CHECK(cond) do { if (!(cond)) { printf("posix_ids FAIL line %d: %s (errno %d)\n", __LINE__, #cond, errno); return 1; } } while (0)

extern char **environ;

int main(void)
{
	CHECK(setuid(0) == 0 && setgid(0) == 0 && seteuid(0) == 0 && setegid(0) == 0);
	CHECK(setuid(1000) == -1 && errno == EPERM);
	CHECK(setgid(100) == -1 && errno == EPERM);
	CHECK(seteuid(33) == -1 && errno == EPERM);
	CHECK(setreuid((uid_t)-1, 0) == 0 && setreuid(0, 5) == -1 && errno == EPERM);
	CHECK(getuid() == 0 && geteuid() == 0);
	gid_t none[1] = { 0 }, other[1] = { 7 };
	CHECK(getgroups(0, NULL) == 0 && setgroups(1, none) == 0);
	CHECK(setgroups(1, other) == -1 && errno == EPERM);
	CHECK(initgroups("root", 0) == 0);

	struct passwd pw, *pr;
	char buf[256], tiny[4];
	CHECK(getpwnam_r("root", &pw, buf, sizeof(buf), &pr) == 0 && pr == &pw);
	CHECK(pw.pw_uid == 0 && strcmp(pw.pw_name, "root") == 0 && strcmp(pw.pw_dir, "/") == 0);
	CHECK(pw.pw_name >= buf && pw.pw_name < buf + sizeof(buf)); /* copied into buf */
	CHECK(getpwuid_r(0, &pw, buf, sizeof(buf), &pr) == 0 && pr == &pw && strcmp(pw.pw_name, "root") == 0);
	CHECK(getpwnam_r("nobody", &pw, buf, sizeof(buf), &pr) == 0 && pr == NULL);
	CHECK(getpwnam_r("root", &pw, tiny, sizeof(tiny), &pr) == ERANGE && pr == NULL);

	struct group *g = getgrnam("root");
	CHECK(g && g->gr_gid == 0 && g->gr_mem && g->gr_mem[0] == NULL);
	CHECK(getgrgid(0) == g && getgrnam("wheel") == NULL && getgrgid(1000) == NULL);
	struct group gr, *grp;
	CHECK(getgrnam_r("root", &gr, buf, sizeof(buf), &grp) == 0 && grp == &gr && strcmp(gr.gr_name, "root") == 0);
	CHECK(gr.gr_mem[0] == NULL && gr.gr_name >= buf && gr.gr_name < buf + sizeof(buf));
	CHECK(getgrgid_r(0, &gr, buf, sizeof(buf), &grp) == 0 && grp == &gr);
	CHECK(getgrgid_r(0, &gr, tiny, sizeof(tiny), &grp) == ERANGE && grp == NULL);
	CHECK(getgrnam_r("wheel", &gr, buf, sizeof(buf), &grp) == 0 && grp == NULL);

	char *argv[] = { "/bin/true", NULL };
	CHECK(execv("/bin/true", argv) == -1 && errno == ENOSYS);
	CHECK(execvp("true", argv) == -1 && errno == ENOSYS);
	CHECK(execl("/bin/true", "true", (char *)NULL) == -1 && errno == ENOSYS);
	pid_t pid = 0;
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	short flags;
	CHECK(posix_spawn_file_actions_init(&fa) == 0 && posix_spawn_file_actions_adddup2(&fa, 1, 2) == 0);
	CHECK(posix_spawn_file_actions_addclose(&fa, -1) == EBADF);
	CHECK(posix_spawnattr_init(&at) == 0 && posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGMASK) == 0);
	CHECK(posix_spawnattr_getflags(&at, &flags) == 0 && flags == POSIX_SPAWN_SETSIGMASK);
	errno = 0;
	CHECK(posix_spawn(&pid, "/bin/true", &fa, &at, argv, environ) == ENOSYS && errno == 0 && pid == 0);
	CHECK(posix_spawnp(&pid, "true", NULL, NULL, argv, environ) == ENOSYS);
	CHECK(posix_spawn_file_actions_destroy(&fa) == 0 && posix_spawnattr_destroy(&at) == 0);

	CHECK(get_nprocs() == 1 && get_nprocs_conf() == 1);
	struct sysinfo si;
	CHECK(sysinfo(&si) == 0 && si.mem_unit == 1 && si.procs == 1);
	CHECK(si.totalram >= 32ul << 20 && si.freeram > 0 && si.freeram < si.totalram && si.totalswap == 0);
	CHECK(si.totalram / 4096 == (unsigned long)sysconf(_SC_PHYS_PAGES));
	printf("posix_ids ok\n");
	return 0;
}
