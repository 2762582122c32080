/* Sessions and process groups: the program is process 1 with no terminal; it can never start a new session. */
#include <errno.h>
#include <unistd.h>

pid_t setsid(void)
{
	errno = EPERM; /* already a process-group leader, as Linux says for pid 1 */
	return -1;
}

pid_t getsid(pid_t pid)
{
	(void)pid;
	return 1;
}

pid_t getpgrp(void)
{
	return 1;
}

pid_t getppid(void)
{
	return 0; /* started by the kernel */
}
