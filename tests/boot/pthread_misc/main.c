/* Boot test: pthread_once, keys with destructors, a condvar producer/consumer,
 * cond_timedwait timing out, and errno kept per thread. */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#define FAIL(...) do { printf("pthread misc FAIL: " __VA_ARGS__); printf("\n"); return 1; } while (0)
#define THREAD_FAIL(...) do { printf("pthread misc FAIL: " __VA_ARGS__); printf("\n"); return (void *)1; } while (0)

/* --- pthread_once --- */
static pthread_once_t once = PTHREAD_ONCE_INIT;
static int once_runs;

static void once_init(void)
{
	usleep(20000); /* the other callers arrive while this runs */
	once_runs++;
}

static void *once_caller(void *arg)
{
	pthread_once(&once, once_init);
	if (once_runs != 1)
		THREAD_FAIL("once returned before its routine finished (%d)", once_runs);
	return arg;
}

/* --- keys --- */
static pthread_key_t key;
static int destructor_calls;
static void *destroyed_value;

static void key_destructor(void *value)
{
	destructor_calls++;
	destroyed_value = value;
}

static void *key_user(void *arg)
{
	if (pthread_getspecific(key) != NULL)
		THREAD_FAIL("fresh thread sees a key value");
	pthread_setspecific(key, arg);
	sched_yield();
	if (pthread_getspecific(key) != arg)
		THREAD_FAIL("key value lost");
	return NULL;
}

/* --- producer/consumer --- */
#define ITEMS 1000
#define SLOTS 8
static pthread_mutex_t buf_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t not_full = PTHREAD_COND_INITIALIZER;
static pthread_cond_t not_empty = PTHREAD_COND_INITIALIZER;
static int buf[SLOTS], head, count;

static void *producer(void *arg)
{
	for (int i = 1; i <= ITEMS; i++) {
		pthread_mutex_lock(&buf_lock);
		while (count == SLOTS)
			pthread_cond_wait(&not_full, &buf_lock);
		buf[(head + count++) % SLOTS] = i;
		pthread_cond_signal(&not_empty);
		pthread_mutex_unlock(&buf_lock);
	}
	return arg;
}

static void *consumer(void *arg)
{
	long *sum = arg;
	for (int i = 1; i <= ITEMS; i++) {
		pthread_mutex_lock(&buf_lock);
		while (count == 0)
			pthread_cond_wait(&not_empty, &buf_lock);
		int item = buf[head];
		head = (head + 1) % SLOTS;
		count--;
		pthread_cond_signal(&not_full);
		pthread_mutex_unlock(&buf_lock);
		if (item != i)
			THREAD_FAIL("item %d out of order (wanted %d)", item, i);
		*sum += item;
	}
	return NULL;
}

/* --- errno per thread --- */
static void *errno_keeper(void *arg)
{
	int mine = (int)(long)arg;
	errno = mine;
	for (int i = 0; i < 50; i++) {
		sched_yield();
		if (i % 10 == 0)
			usleep(1000);
	}
	if (errno != mine)
		THREAD_FAIL("errno %d, set %d", errno, mine);
	return NULL;
}

static int join_ok(pthread_t t)
{
	void *ret;
	return pthread_join(t, &ret) == 0 && ret == NULL;
}

static int timedwait_times_out(clockid_t clock)
{
	pthread_condattr_t attr;
	pthread_cond_t cond;
	pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
	struct timespec deadline, before, after;

	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, clock);
	pthread_cond_init(&cond, &attr);
	clock_gettime(CLOCK_MONOTONIC, &before);
	clock_gettime(clock, &deadline);
	deadline.tv_nsec += 50 * 1000000L;
	if (deadline.tv_nsec >= 1000000000L) {
		deadline.tv_sec++;
		deadline.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&m);
	int r = pthread_cond_timedwait(&cond, &m, &deadline);
	pthread_mutex_unlock(&m);
	clock_gettime(CLOCK_MONOTONIC, &after);
	long long waited = (after.tv_sec - before.tv_sec) * 1000000000LL +
			   (after.tv_nsec - before.tv_nsec);
	pthread_cond_destroy(&cond);
	return r == ETIMEDOUT && waited >= 40 * 1000000LL;
}

int main(void)
{
	pthread_t t[3];

	for (long i = 0; i < 3; i++)
		pthread_create(&t[i], NULL, once_caller, NULL);
	for (int i = 0; i < 3; i++)
		if (!join_ok(t[i]))
			FAIL("once caller %d", i);
	if (once_runs != 1)
		FAIL("once routine ran %d times", once_runs);

	static int value;
	pthread_key_create(&key, key_destructor);
	pthread_create(&t[0], NULL, key_user, &value);
	if (!join_ok(t[0]))
		FAIL("key user");
	if (destructor_calls != 1 || destroyed_value != &value)
		FAIL("destructor ran %d times", destructor_calls);
	if (pthread_getspecific(key) != NULL)
		FAIL("main sees another thread's key value");

	long sum = 0;
	pthread_create(&t[0], NULL, consumer, &sum);
	pthread_create(&t[1], NULL, producer, NULL);
	if (!join_ok(t[0]) || !join_ok(t[1]))
		FAIL("producer/consumer");
	if (sum != (long)ITEMS * (ITEMS + 1) / 2)
		FAIL("sum %ld", sum);

	if (!timedwait_times_out(CLOCK_REALTIME))
		FAIL("cond_timedwait on CLOCK_REALTIME did not time out");
	if (!timedwait_times_out(CLOCK_MONOTONIC))
		FAIL("cond_timedwait on CLOCK_MONOTONIC did not time out");

	errno = 33;
	pthread_create(&t[0], NULL, errno_keeper, (void *)11L);
	pthread_create(&t[1], NULL, errno_keeper, (void *)22L);
	if (!join_ok(t[0]) || !join_ok(t[1]))
		FAIL("errno threads");
	if (errno != 33)
		FAIL("main's errno %d", errno);

	printf("pthread misc ok\n");
	return 0;
}
