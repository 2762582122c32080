/* popen, pclose: one program and no processes, so popen fails with ENOSYS (logged once) and pclose with ECHILD. */
#include <errno.h>
#include <stdio.h>

#include "shim.h"

FILE *popen(const char *command, const char *mode)
{
	(void)command;
	(void)mode;
	shim_unsupported("popen", ENOSYS, "ENOSYS");
	return NULL;
}

/* No popen ever succeeds, so no stream is a pipe to a child. */
int pclose(FILE *fp)
{
	(void)fp;
	errno = ECHILD;
	return -1;
}
