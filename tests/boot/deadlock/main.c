/* Boot test: when every thread blocks forever the kernel says so instead of hanging. */
#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t never = PTHREAD_COND_INITIALIZER;

static void *waiter(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&m);
	pthread_cond_wait(&never, &m); /* nobody signals */
	pthread_mutex_unlock(&m);
	return 0;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, 0, waiter, 0);
	printf("joining a thread that waits forever\n");
	fflush(stdout);
	pthread_join(t, 0);
	return 0;
}
