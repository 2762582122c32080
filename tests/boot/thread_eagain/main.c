/* Boot test: out of memory is returned, not a panic: pthread_create says EAGAIN, mmap and
 * malloc say ENOMEM, and a stack that grows afterwards still finds pages (the reserve). */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define MAX_THREADS 4096
#define MAX_BLOCKS 8192

static pthread_t tids[MAX_THREADS];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static int ready, go_deeper, release;
static void *blocks[MAX_BLOCKS];
static void *maps[MAX_BLOCKS];

/* Touch `bytes` of stack below this frame (the stack grows page by page). */
__attribute__((noinline)) static int use_stack(size_t bytes)
{
	volatile char buf[4096];
	buf[0] = 1;
	buf[4095] = 2;
	if (bytes <= sizeof(buf))
		return buf[0] + buf[4095];
	return use_stack(bytes - sizeof(buf)) + buf[0];
}

static void *worker(void *arg)
{
	int first = arg != NULL;
	int sum = use_stack(24 * 1024); /* past the 16 KiB mapped at creation */
	pthread_mutex_lock(&lock);
	ready++;
	pthread_cond_broadcast(&cond);
	while (!release) {
		if (first && go_deeper == 1) {
			pthread_mutex_unlock(&lock);
			sum += use_stack(56 * 1024); /* 8 more pages, with the heap exhausted */
			pthread_mutex_lock(&lock);
			go_deeper = 2;
			pthread_cond_broadcast(&cond);
		}
		pthread_cond_wait(&cond, &lock);
	}
	pthread_mutex_unlock(&lock);
	return (void *)(intptr_t)sum;
}

static void wait_for(int *what, int value)
{
	pthread_mutex_lock(&lock);
	while (*what < value)
		pthread_cond_wait(&cond, &lock);
	pthread_mutex_unlock(&lock);
}

int main(void)
{
	printf("creating threads until memory runs out\n");
	fflush(stdout);
	int n = 0, err = 0;
	while (n < MAX_THREADS) {
		err = pthread_create(&tids[n], NULL, worker, n == 0 ? (void *)1 : NULL);
		if (err)
			break;
		n++;
		wait_for(&ready, n); /* its stack has grown before the next one starts */
	}
	if (err != EAGAIN || n < 2) {
		printf("FAIL: pthread_create returned %d (%s) after %d threads\n", err, strerror(err), n);
		return 1;
	}

	/* The heap: mmap and malloc until they refuse, keeping what they gave. */
	int nm = 0, nb = 0, map_errno = 0;
	while (nm < MAX_BLOCKS) {
		void *p = mmap(NULL, 16384, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED) {
			map_errno = errno;
			break;
		}
		maps[nm++] = p;
	}
	while (nb < MAX_BLOCKS && (blocks[nb] = malloc(1024)) != NULL)
		nb++;
	int malloc_full = nb < MAX_BLOCKS;

	/* A stack grows now, with no heap left: it must not panic. */
	pthread_mutex_lock(&lock);
	go_deeper = 1;
	pthread_cond_broadcast(&cond);
	pthread_mutex_unlock(&lock);
	wait_for(&go_deeper, 2);

	for (int i = 0; i < nb; i++)
		free(blocks[i]);
	for (int i = 0; i < nm; i++)
		munmap(maps[i], 16384);
	if (map_errno != ENOMEM || !malloc_full) {
		printf("FAIL: mmap errno %d after %d maps, malloc full %d\n", map_errno, nm, malloc_full);
		return 1;
	}
	pthread_mutex_lock(&lock);
	release = 1;
	pthread_cond_broadcast(&cond);
	pthread_mutex_unlock(&lock);
	for (int i = 0; i < n; i++) {
		void *ret;
		if (pthread_join(tids[i], &ret) != 0 || ret == NULL) {
			printf("FAIL: join %d\n", i);
			return 1;
		}
	}
	/* Memory given back is usable again. */
	char *again = mmap(NULL, 65536, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (again == MAP_FAILED || again[0] != 0 || again[65535] != 0) {
		printf("FAIL: mmap after the threads were joined\n");
		return 1;
	}
	memset(again, 7, 65536);
	munmap(again, 65536);
	printf("EAGAIN after %d threads; mmap ENOMEM after %d maps; a stack grew after; all joined\n", n, nm);
	return 0;
}
