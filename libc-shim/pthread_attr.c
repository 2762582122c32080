/* pthread_attr_*: stack size, detach state, guard size for pthread_create. */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <string.h>

#include "shim.h"

int pthread_attr_init(pthread_attr_t *attr)
{
	memset(attr, 0, sizeof(*attr));
	attr->is_initialized = 1;
	attr->stacksize = SHIM_THREAD_STACK_DEFAULT;
	attr->detachstate = PTHREAD_CREATE_JOINABLE;
	return 0;
}

int pthread_attr_destroy(pthread_attr_t *attr)
{
	attr->is_initialized = 0;
	return 0;
}

int pthread_attr_setstacksize(pthread_attr_t *attr, size_t size)
{
	if (!attr->is_initialized || size < PTHREAD_STACK_MIN || size > INT_MAX)
		return EINVAL;
	attr->stacksize = (int)size;
	return 0;
}

int pthread_attr_getstacksize(const pthread_attr_t *attr, size_t *size)
{
	if (!attr->is_initialized)
		return EINVAL;
	*size = attr->stacksize > 0 ? (size_t)attr->stacksize : SHIM_THREAD_STACK_DEFAULT;
	return 0;
}

int pthread_attr_setdetachstate(pthread_attr_t *attr, int state)
{
	if (!attr->is_initialized ||
	    (state != PTHREAD_CREATE_JOINABLE && state != PTHREAD_CREATE_DETACHED))
		return EINVAL;
	attr->detachstate = state;
	return 0;
}

int pthread_attr_getdetachstate(const pthread_attr_t *attr, int *state)
{
	if (!attr->is_initialized)
		return EINVAL;
	*state = attr->detachstate;
	return 0;
}

/* Guard pages are the kernel's business (one below every stack). */
int pthread_attr_setguardsize(pthread_attr_t *attr, size_t size)
{
	(void)size;
	return attr->is_initialized ? 0 : EINVAL;
}

int pthread_attr_getguardsize(const pthread_attr_t *attr, size_t *size)
{
	if (!attr->is_initialized)
		return EINVAL;
	*size = PAGE_SIZE;
	return 0;
}
