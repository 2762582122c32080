/* Boot test: the whole malloc family (alignment, ENOMEM/EINVAL, realloc, mallinfo) and malloc from 4 preempted threads. */
#include <errno.h>
#include <malloc.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define THREADS 4
#define THREAD_OPS 20000
#define THREAD_SLOTS 64
#define MANY 100000

static int fail(const char *what)
{
	printf("malloc family FAILED: %s\n", what);
	return 1;
}

static int aligned(const void *p, size_t a)
{
	return p && ((uintptr_t)p & (a - 1)) == 0;
}

static int family(void)
{
	void *p, *q;

	p = malloc(0);
	q = malloc(0);
	if (!p || !q || p == q)
		return fail("malloc(0) must give distinct pointers");
	free(p);
	free(q);
	free(NULL);
	for (size_t n = 1; n < 300; n += 7) {
		p = malloc(n);
		if (!aligned(p, 16) || malloc_usable_size(p) < n)
			return fail("malloc: 16-byte alignment, usable size");
		free(p);
	}
	if (!aligned(p = aligned_alloc(64, 100), 64))
		return fail("aligned_alloc(64)");
	free(p);
	if (!aligned(p = memalign(256, 1000), 256))
		return fail("memalign(256)");
	free(p);
	if (posix_memalign(&p, 4096, 10) || !aligned(p, 4096))
		return fail("posix_memalign(4096)");
	free(p);
	if (posix_memalign(&p, 24, 10) != EINVAL)
		return fail("posix_memalign(24) must be EINVAL");
	if (!aligned(p = valloc(10), 4096))
		return fail("valloc");
	free(p);
	if (!aligned(p = pvalloc(10), 4096) || malloc_usable_size(p) < 4096)
		return fail("pvalloc rounds up to a page");
	free(p);

	errno = 0;
	if (malloc(SIZE_MAX - 8) || errno != ENOMEM)
		return fail("malloc(SIZE_MAX - 8) must be NULL/ENOMEM");
	errno = 0;
	if (calloc(SIZE_MAX / 2, 4) || errno != ENOMEM)
		return fail("calloc overflow must be NULL/ENOMEM");
	errno = 0;
	if (memalign(48, 10) || errno != EINVAL)
		return fail("memalign(48) must be NULL/EINVAL");

	unsigned char *d = malloc(65536);
	memset(d, 0xff, 65536);
	free(d);
	unsigned char *z = calloc(65536, 1);
	for (size_t i = 0; z && i < 65536; i++)
		if (z[i])
			return fail("calloc memory not zero");
	free(z);

	char *r = malloc(10);
	memcpy(r, "0123456789", 10);
	for (size_t n = 20; n < 200000; n = n * 3 / 2) {
		char *r2 = realloc(r, n);
		if (!r2 || memcmp(r2, "0123456789", 10))
			return fail("realloc lost the contents");
		r = r2;
		memset(r + 10, 'x', n - 10);
	}
	if (!(r = realloc(r, 5)) || memcmp(r, "01234", 5))
		return fail("realloc shrink");
	if (realloc(r, 0) != NULL)
		return fail("realloc(p, 0) frees");

	/* through a volatile pointer: apps are built hosted, and gcc may drop a
	 * malloc/free pair whose block is never used */
	static void *volatile held;
	struct mallinfo a = mallinfo();
	held = malloc(1 << 20);
	struct mallinfo b = mallinfo();
	free(held);
	struct mallinfo c = mallinfo();
	if (b.uordblks < a.uordblks + (1 << 20) || c.uordblks != a.uordblks || b.arena < b.uordblks)
		return fail("mallinfo's bytes in use");
	return 0;
}

/* 100k small blocks freed in allocation order, then again in reverse: the heap ends
 * where it started (all merged), so allocating them again takes no more memory. */
static void **many;

static int many_blocks(void)
{
	if (!(many = malloc(MANY * sizeof(*many))))
		return fail("table");
	for (int round = 0; round < 3; round++) {
		for (int i = 0; i < MANY; i++)
			if (!(many[i] = malloc(16 + (size_t)(i % 7) * 8)))
				return fail("100k small mallocs");
		struct mallinfo full = mallinfo();
		static size_t arena_full;
		if (round == 0)
			arena_full = full.arena;
		else if (full.arena > arena_full)
			return fail("the same 100k blocks took more memory the second time");
		for (int i = 0; i < MANY; i++) {
			int k = round == 1 ? MANY - 1 - i : i;
			free(many[k]);
		}
	}
	free(many);
	return 0;
}

static void *worker(void *arg)
{
	unsigned seed = (unsigned)(uintptr_t)arg * 2654435761u + 1;
	unsigned char *slot[THREAD_SLOTS] = { 0 };
	size_t len[THREAD_SLOTS] = { 0 };
	unsigned char tag = (unsigned char)(uintptr_t)arg;

	for (int op = 0; op < THREAD_OPS; op++) {
		seed = seed * 1103515245u + 12345u;
		int i = (int)((seed >> 8) % THREAD_SLOTS);
		size_t n = (seed >> 16) % 2000 + 1;
		for (size_t k = 0; slot[i] && k < len[i]; k++)
			if (slot[i][k] != tag)
				return (void *)"a block changed under another thread";
		if (slot[i] && (seed & 1)) {
			free(slot[i]);
			slot[i] = NULL;
		} else {
			unsigned char *p = slot[i] ? realloc(slot[i], n) : malloc(n);
			if (!p)
				return (void *)"out of memory";
			memset(p, tag, n);
			slot[i] = p;
			len[i] = n;
		}
		if (op % 997 == 0)
			sched_yield();
	}
	for (int i = 0; i < THREAD_SLOTS; i++)
		free(slot[i]);
	return NULL;
}

static int threads(void)
{
	pthread_t t[THREADS];
	void *why;

	for (uintptr_t i = 0; i < THREADS; i++)
		if (pthread_create(&t[i], NULL, worker, (void *)(i + 1)))
			return fail("pthread_create");
	for (int i = 0; i < THREADS; i++) {
		if (pthread_join(t[i], &why))
			return fail("pthread_join");
		if (why)
			return fail(why);
	}
	return 0;
}

int main(void)
{
	if (family() || many_blocks() || threads())
		return 1;
	printf("malloc family ok\n");
	return 0;
}
