/* One log line per distinct event: "skiff: fork() is not supported (ENOSYS)". */
#include <errno.h>
#include <string.h>

#include "shim.h"

#define LOG_ONCE_MAX 64 /* distinct keys remembered; later ones log every time */

static struct sk_mutex log_lock = SK_MUTEX_INIT;
static const char *logged[LOG_ONCE_MAX]; /* keys already logged (log_lock) */
static int nlogged;                      /* (log_lock) */

/* Claim key; returns 1 the first time it is seen. */
static int first_time(const char *key)
{
	int first = 1;

	sk_mutex_lock(&log_lock);
	for (int i = 0; i < nlogged; i++) {
		if (strcmp(logged[i], key) == 0) {
			first = 0;
			break;
		}
	}
	if (first && nlogged < LOG_ONCE_MAX)
		logged[nlogged++] = key;
	sk_mutex_unlock(&log_lock);
	return first;
}

static void log_str(const char *s)
{
	console_write(CONSOLE_LOG, s, strlen(s));
}

void shim_log_once(const char *key, const char *what)
{
	if (!first_time(key))
		return;
	log_str("skiff: ");
	log_str(what);
	log_str("\n");
}

int shim_unsupported(const char *name, int err, const char *errname)
{
	if (first_time(name)) {
		log_str("skiff: ");
		log_str(name);
		log_str("() is not supported (");
		log_str(errname);
		log_str(")\n");
	}
	errno = err;
	return -1;
}
