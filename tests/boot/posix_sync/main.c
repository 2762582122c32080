/* Boot test: rwlock writer exclusion and reader sharing, barrier with N threads (one serial thread per round), spin locks, semaphores (counting, trywait, timedwait timing out). */
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#define CHECK(cond) do { if (!(cond)) { printf("posix_sync FAIL line %d: %s (errno %d)\n", __LINE__, #cond, errno); return 1; } } while (0)

#define NTHREADS 4
#define ROUNDS 50

static pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
static volatile int readers_in, writers_in, max_readers, violations;
static volatile long shared_a, shared_b; /* a writer keeps them equal */

static void *rw_worker(void *arg)
{
	long id = (long)arg;
	for (int i = 0; i < ROUNDS; i++) {
		if ((i + id) % 3 == 0) {
			pthread_rwlock_wrlock(&rw);
			if (writers_in++ || readers_in)
				violations++;
			shared_a++;
			sched_yield(); /* let others try to get in */
			shared_b++;
			writers_in--;
			pthread_rwlock_unlock(&rw);
		} else {
			pthread_rwlock_rdlock(&rw);
			int n = __atomic_add_fetch(&readers_in, 1, __ATOMIC_SEQ_CST);
			if (n > max_readers)
				max_readers = n;
			if (writers_in || shared_a != shared_b)
				violations++;
			usleep(1000); /* hold it while the others arrive */
			__atomic_sub_fetch(&readers_in, 1, __ATOMIC_SEQ_CST);
			pthread_rwlock_unlock(&rw);
		}
	}
	return NULL;
}

static pthread_barrier_t barrier;
static volatile int arrived[ROUNDS], serials[ROUNDS], early;

static void *barrier_worker(void *arg)
{
	(void)arg;
	for (int r = 0; r < ROUNDS; r++) {
		__atomic_add_fetch(&arrived[r], 1, __ATOMIC_SEQ_CST);
		int ret = pthread_barrier_wait(&barrier);
		if (ret == PTHREAD_BARRIER_SERIAL_THREAD)
			__atomic_add_fetch(&serials[r], 1, __ATOMIC_SEQ_CST);
		else if (ret != 0)
			early++;
		if (arrived[r] != NTHREADS)
			early++; /* left before everyone arrived */
	}
	return NULL;
}

static pthread_spinlock_t spin;
static volatile long spin_count;

static void *spin_worker(void *arg)
{
	(void)arg;
	for (int i = 0; i < 1000; i++) {
		pthread_spin_lock(&spin);
		long v = spin_count;
		if (i % 100 == 0)
			sched_yield();
		spin_count = v + 1;
		pthread_spin_unlock(&spin);
	}
	return NULL;
}

static sem_t items;
static volatile int consumed;

static void *consumer(void *arg)
{
	(void)arg;
	for (int i = 0; i < 10; i++) {
		sem_wait(&items);
		consumed++;
	}
	return NULL;
}

static int check_rwlock(void)
{
	pthread_t t[NTHREADS];
	for (long i = 0; i < NTHREADS; i++)
		CHECK(pthread_create(&t[i], NULL, rw_worker, (void *)i) == 0);
	for (int i = 0; i < NTHREADS; i++)
		pthread_join(t[i], NULL);
	CHECK(violations == 0);
	CHECK(max_readers >= 2); /* readers really share */
	CHECK(shared_a == shared_b && shared_a > 0);

	pthread_rwlock_t l;
	CHECK(pthread_rwlock_init(&l, NULL) == 0);
	CHECK(pthread_rwlock_rdlock(&l) == 0 && pthread_rwlock_tryrdlock(&l) == 0);
	CHECK(pthread_rwlock_trywrlock(&l) == EBUSY);
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_nsec += 20000000;
	if (ts.tv_nsec >= 1000000000) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000;
	}
	CHECK(pthread_rwlock_timedwrlock(&l, &ts) == ETIMEDOUT);
	CHECK(pthread_rwlock_unlock(&l) == 0 && pthread_rwlock_unlock(&l) == 0);
	CHECK(pthread_rwlock_wrlock(&l) == 0);
	CHECK(pthread_rwlock_tryrdlock(&l) == EBUSY && pthread_rwlock_wrlock(&l) == EDEADLK);
	CHECK(pthread_rwlock_destroy(&l) == EBUSY);
	CHECK(pthread_rwlock_unlock(&l) == 0 && pthread_rwlock_unlock(&l) == EPERM);
	CHECK(pthread_rwlock_destroy(&l) == 0);
	return 0;
}

static int check_barrier(void)
{
	pthread_t t[NTHREADS];
	CHECK(pthread_barrier_init(&barrier, NULL, 0) == EINVAL);
	CHECK(pthread_barrier_init(&barrier, NULL, NTHREADS) == 0);
	for (int i = 0; i < NTHREADS; i++)
		CHECK(pthread_create(&t[i], NULL, barrier_worker, NULL) == 0);
	for (int i = 0; i < NTHREADS; i++)
		pthread_join(t[i], NULL);
	CHECK(early == 0);
	for (int r = 0; r < ROUNDS; r++)
		CHECK(serials[r] == 1 && arrived[r] == NTHREADS);
	CHECK(pthread_barrier_destroy(&barrier) == 0);
	return 0;
}

static int check_spin(void)
{
	pthread_t t[NTHREADS];
	CHECK(pthread_spin_init(&spin, PTHREAD_PROCESS_PRIVATE) == 0);
	for (int i = 0; i < NTHREADS; i++)
		CHECK(pthread_create(&t[i], NULL, spin_worker, NULL) == 0);
	for (int i = 0; i < NTHREADS; i++)
		pthread_join(t[i], NULL);
	CHECK(spin_count == NTHREADS * 1000);
	CHECK(pthread_spin_trylock(&spin) == 0 && pthread_spin_trylock(&spin) == EBUSY);
	CHECK(pthread_spin_unlock(&spin) == 0 && pthread_spin_destroy(&spin) == 0);
	return 0;
}

static int check_sem(void)
{
	int v;
	pthread_t t;
	CHECK(sem_init(&items, 0, 2) == 0);
	CHECK(sem_getvalue(&items, &v) == 0 && v == 2);
	CHECK(sem_trywait(&items) == 0 && sem_trywait(&items) == 0);
	CHECK(sem_trywait(&items) == -1 && errno == EAGAIN);

	struct timespec before, after, ts;
	clock_gettime(CLOCK_MONOTONIC, &before);
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_nsec += 50000000; /* 50 ms */
	if (ts.tv_nsec >= 1000000000) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000;
	}
	CHECK(sem_timedwait(&items, &ts) == -1 && errno == ETIMEDOUT);
	clock_gettime(CLOCK_MONOTONIC, &after);
	long waited_ms = (after.tv_sec - before.tv_sec) * 1000 + (after.tv_nsec - before.tv_nsec) / 1000000;
	CHECK(waited_ms >= 49); /* it did wait (no upper bound: the host is noisy) */
	ts.tv_nsec = -1;
	CHECK(sem_post(&items) == 0 && sem_timedwait(&items, &ts) == -1 && errno == EINVAL); /* checked, as glibc does */
	CHECK(sem_getvalue(&items, &v) == 0 && v == 1 && sem_trywait(&items) == 0);

	CHECK(pthread_create(&t, NULL, consumer, NULL) == 0);
	for (int i = 0; i < 10; i++) {
		usleep(500);
		CHECK(sem_post(&items) == 0);
	}
	pthread_join(t, NULL);
	CHECK(consumed == 10 && sem_getvalue(&items, &v) == 0 && v == 0);
	CHECK(sem_destroy(&items) == 0);
	CHECK(sem_open("/x", 0) == SEM_FAILED && errno == ENOSYS);
	return 0;
}

int main(void)
{
	if (check_rwlock() || check_barrier() || check_spin() || check_sem())
		return 1;
	printf("posix_sync ok\n");
	return 0;
}
