/* prctl(): PR_SET_NAME / PR_GET_NAME name the calling thread (pthread_name.c); anything else is EINVAL. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <string.h>
#include <sys/prctl.h>

int prctl(int option, ...)
{
	va_list ap;
	char *name;
	char buf[16];
	int err;

	va_start(ap, option);
	name = va_arg(ap, char *);
	va_end(ap);
	switch (option) {
	case PR_SET_NAME:
		strncpy(buf, name, sizeof(buf) - 1); /* Linux truncates silently */
		buf[sizeof(buf) - 1] = '\0';
		err = pthread_setname_np(pthread_self(), buf);
		break;
	case PR_GET_NAME:
		err = pthread_getname_np(pthread_self(), name, 16);
		break;
	default:
		err = EINVAL;
	}
	if (err) {
		errno = err;
		return -1;
	}
	return 0;
}
