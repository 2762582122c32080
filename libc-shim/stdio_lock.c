/* flockfile, ftrylockfile, funlockfile: a FILE's own recursive lock (newlib's libc.a lacks the public calls). */
#include <stdio.h>
#include <sys/lock.h>

#include "shim.h"

/* newlib's stdio set-up (findfp.c); its header declares it only for _REENT_SMALL. */
void __sinit(struct _reent *r);

/* Streams get their lock when newlib sets up stdio; make sure it has (what
 * newlib's CHECK_INIT does before every stdio call). */
static void stdio_ready(void)
{
	struct _reent *r = _REENT;

	if (!r->__sdidinit)
		__sinit(r);
}

/* String streams (sprintf's) have no lock: newlib skips them the same way. */
static int lockable(FILE *fp)
{
	return !(fp->_flags & __SSTR);
}

void flockfile(FILE *fp)
{
	stdio_ready();
	if (lockable(fp))
		__lock_acquire_recursive(fp->_lock);
}

int ftrylockfile(FILE *fp)
{
	stdio_ready();
	if (!lockable(fp))
		return 0;
	return __lock_try_acquire_recursive(fp->_lock) ? -1 : 0;
}

void funlockfile(FILE *fp)
{
	if (lockable(fp))
		__lock_release_recursive(fp->_lock);
}
