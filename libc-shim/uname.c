/* uname(): sysname "skiff", node name gethostname()'s, machine "x86_64". */
#include <errno.h>
#include <string.h>
#include <sys/utsname.h>

#include "shim.h"

int uname(struct utsname *buf)
{
	if (!buf) {
		errno = EFAULT;
		return -1;
	}
	memset(buf, 0, sizeof(*buf));
	strcpy(buf->sysname, "skiff");
	shim_hostname(buf->nodename, sizeof(buf->nodename));
	strcpy(buf->release, "1.0");
	strcpy(buf->version, "skiff unikernel (one address space, one vCPU)");
	strcpy(buf->machine, "x86_64");
	return 0;
}
