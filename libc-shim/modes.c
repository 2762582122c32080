/* umask: kept for programs that read it back; skiff has one user and enforces no permissions (chmod lives in fs/attr.c). */
#include <sys/stat.h>

static mode_t mask = 022;

mode_t umask(mode_t new_mask)
{
	mode_t old = mask;

	mask = new_mask & 0777;
	return old;
}

mode_t shim_umask_get(void)
{
	return mask;
}
