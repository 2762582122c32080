/* The exec family and posix_spawn: one program per image, no processes to start; -1/ENOSYS (spawn: ENOSYS returned) with a log line. */
#include <errno.h>
#include <spawn.h>
#include <unistd.h>

#include "shim.h"

static int no_exec(const char *name)
{
	return shim_unsupported(name, ENOSYS, "ENOSYS");
}

int execv(const char *path, char *const argv[])
{
	(void)path;
	(void)argv;
	return no_exec("execv");
}

int execvp(const char *file, char *const argv[])
{
	(void)file;
	(void)argv;
	return no_exec("execvp");
}

int execvpe(const char *file, char *const argv[], char *const envp[])
{
	(void)file;
	(void)argv;
	(void)envp;
	return no_exec("execvpe");
}

int fexecve(int fd, char *const argv[], char *const envp[])
{
	(void)fd;
	(void)argv;
	(void)envp;
	return no_exec("fexecve");
}

int execl(const char *path, const char *arg, ...)
{
	(void)path;
	(void)arg;
	return no_exec("execl");
}

int execle(const char *path, const char *arg, ...)
{
	(void)path;
	(void)arg;
	return no_exec("execle");
}

int execlp(const char *file, const char *arg, ...)
{
	(void)file;
	(void)arg;
	return no_exec("execlp");
}

/* posix_spawn reports errors as its result, errno untouched. */
static int no_spawn(const char *name)
{
	int saved = errno;

	shim_unsupported(name, ENOSYS, "ENOSYS");
	errno = saved;
	return ENOSYS;
}

int posix_spawn(pid_t *restrict pid, const char *restrict path,
		const posix_spawn_file_actions_t *fa, const posix_spawnattr_t *restrict attr,
		char *const argv[restrict], char *const envp[restrict])
{
	(void)pid;
	(void)path;
	(void)fa;
	(void)attr;
	(void)argv;
	(void)envp;
	return no_spawn("posix_spawn");
}

int posix_spawnp(pid_t *restrict pid, const char *restrict file,
		 const posix_spawn_file_actions_t *fa, const posix_spawnattr_t *restrict attr,
		 char *const argv[restrict], char *const envp[restrict])
{
	(void)pid;
	(void)file;
	(void)fa;
	(void)attr;
	(void)argv;
	(void)envp;
	return no_spawn("posix_spawnp");
}
