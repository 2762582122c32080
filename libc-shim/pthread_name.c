/* pthread_setname_np / pthread_getname_np: a name per thread (at most 15 bytes, as on Linux), for diagnostics. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <skiff/sync.h>

#define NAME_MAX_LEN 16 /* with the NUL, Linux's TASK_COMM_LEN */

struct thread_name {
	pthread_t id;
	char name[NAME_MAX_LEN];
	struct thread_name *next;
};

static struct thread_name *names; /* (names_lock) */
static struct sk_mutex names_lock = SK_MUTEX_INIT;

static struct thread_name *find(pthread_t id)
{
	for (struct thread_name *n = names; n; n = n->next)
		if (pthread_equal(n->id, id))
			return n;
	return NULL;
}

int pthread_setname_np(pthread_t thread, const char *name)
{
	if (strlen(name) >= NAME_MAX_LEN)
		return ERANGE;
	sk_mutex_lock(&names_lock);
	struct thread_name *n = find(thread);
	if (!n && (n = calloc(1, sizeof(*n)))) {
		n->id = thread;
		n->next = names;
		names = n;
	}
	if (n)
		strcpy(n->name, name);
	sk_mutex_unlock(&names_lock);
	return n ? 0 : ENOMEM;
}

int pthread_getname_np(pthread_t thread, char *buf, size_t len)
{
	int err = 0;

	sk_mutex_lock(&names_lock);
	struct thread_name *n = find(thread);
	const char *name = n ? n->name : "";
	if (strlen(name) >= len)
		err = ERANGE;
	else
		strcpy(buf, name);
	sk_mutex_unlock(&names_lock);
	return err;
}
