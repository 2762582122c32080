/* Calls skiff does not offer (yet): each fails with an errno and logs its
 * name once, e.g. "skiff: fork() is not supported (ENOSYS)". Files and
 * paths are libc-shim/fs/'s. */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "shim.h"

static int enosys(const char *name)
{
	return shim_unsupported(name, ENOSYS, "ENOSYS");
}

pid_t fork(void)
{
	return enosys("fork");
}

pid_t vfork(void)
{
	return enosys("vfork");
}

int execve(const char *path, char *const argv[], char *const envp[])
{
	(void)path;
	(void)argv;
	(void)envp;
	return enosys("execve");
}

pid_t wait(int *status)
{
	(void)status;
	errno = ECHILD; /* no children, ever: the honest answer, no log */
	return -1;
}

pid_t waitpid(pid_t pid, int *status, int options)
{
	(void)pid;
	(void)status;
	(void)options;
	errno = ECHILD;
	return -1;
}

