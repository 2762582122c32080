/* malloc and its whole family (newlib's _r entry points too) on the TLSF heap, memory from sbrk. */
#include <errno.h>
#include <malloc.h>
#include <reent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/lock.h>
#include <unistd.h>

#include <skiff/boot.h>
#include "malloc_stats.h"
#include "tlsf.h"

/* Every name newlib's mallocr.c family defines is defined here, in this one object:
 * locks.c calls malloc, so the link takes this object before it reaches newlib's libc.a,
 * and none of newlib's allocator objects is ever pulled in beside it. */

#define PAGE 4096
/* Large blocks are padded by one page, so that blocks allocated one after another from
 * the top of the heap start one page colour apart instead of at the same offset modulo
 * every power of two up to their size. Three 16 MiB arrays otherwise sit exactly 16 MiB
 * (plus a header) apart: a[i], b[i] and c[i] then fall in the same set of any
 * direct-mapped or low-way structure indexed by address bits — a cache, the 4K-aliasing
 * of store forwarding, and QEMU TCG's softmmu TLB (direct-mapped, 256 entries until it
 * grows), where STREAM ran at 0.15-0.46x a Linux guest's speed. glibc gets the same one
 * page of stagger from the header page of each mmap'd chunk (threshold 128 KiB). */
#define STAGGER_FROM (128 * 1024)

static size_t staggered(size_t n)
{
	return n >= STAGGER_FROM && n <= SIZE_MAX - PAGE ? n + PAGE : n;
}

extern struct __lock __lock___malloc_recursive_mutex;

static void *grow(size_t n, void *ctx)
{
	(void)ctx;
	void *p = sbrk((ptrdiff_t)n);
	return p == (void *)-1 ? NULL : p;
}

static int shrink(char *end, size_t n, void *ctx)
{
	(void)ctx;
	if (sbrk(0) != end)
		return -1; /* someone else moved the break: the top is not ours to give */
	return sbrk(-(ptrdiff_t)n) == (void *)-1 ? -1 : 0;
}

static struct tlsf heap;
static int heap_ready;

/* Taken around every heap call (pthreads are preemptible kernel threads). */
void __malloc_lock(struct _reent *r)
{
	(void)r;
	__retarget_lock_acquire_recursive(&__lock___malloc_recursive_mutex);
}

void __malloc_unlock(struct _reent *r)
{
	(void)r;
	__retarget_lock_release_recursive(&__lock___malloc_recursive_mutex);
}

static struct tlsf *lock(void)
{
	__malloc_lock(NULL);
	if (!heap_ready) {
		tlsf_init(&heap, grow, shrink, NULL, PAGE);
		heap_ready = 1;
	}
	return &heap;
}

static void unlock(void)
{
	__malloc_unlock(NULL);
}

static void *nomem(struct _reent *r)
{
	r->_errno = ENOMEM;
	return NULL;
}

void *_malloc_r(struct _reent *r, size_t n)
{
	void *p = tlsf_malloc(lock(), staggered(n));
	unlock();
	return p ? p : nomem(r);
}

void _free_r(struct _reent *r, void *p)
{
	(void)r;
	if (!p)
		return;
	int bad = tlsf_free(lock(), p);
	unlock();
	if (bad)
		sk_panic("free(): %p is not a block in use (double or wild free)", p);
}

void *_calloc_r(struct _reent *r, size_t count, size_t size)
{
	size_t n;

	if (__builtin_mul_overflow(count, size, &n))
		return nomem(r);
	void *p = _malloc_r(r, n);
	if (p)
		memset(p, 0, n);
	return p;
}

void *_realloc_r(struct _reent *r, void *p, size_t n)
{
	if (!p)
		return _malloc_r(r, n);
	if (n == 0) {
		_free_r(r, p);
		return NULL;
	}
	void *q = tlsf_realloc(lock(), p, staggered(n));
	unlock();
	return q ? q : nomem(r);
}

void *_reallocf_r(struct _reent *r, void *p, size_t n)
{
	void *q = _realloc_r(r, p, n);
	if (!q && n)
		_free_r(r, p);
	return q;
}

void *_memalign_r(struct _reent *r, size_t align, size_t n)
{
	if (align == 0 || (align & (align - 1))) {
		r->_errno = EINVAL;
		return NULL;
	}
	void *p = tlsf_memalign(lock(), align, staggered(n));
	unlock();
	return p ? p : nomem(r);
}

void *_valloc_r(struct _reent *r, size_t n)
{
	return _memalign_r(r, PAGE, n);
}

void *_pvalloc_r(struct _reent *r, size_t n)
{
	if (n > SIZE_MAX - PAGE)
		return nomem(r);
	return _memalign_r(r, PAGE, (n + PAGE - 1) & ~(size_t)(PAGE - 1));
}

size_t _malloc_usable_size_r(struct _reent *r, void *p)
{
	(void)r;
	return p ? tlsf_usable(p) : 0;
}

int _malloc_trim_r(struct _reent *r, size_t pad)
{
	(void)r;
	int done = tlsf_trim(lock(), pad);
	unlock();
	return done;
}

void malloc_figures(struct malloc_figures *f)
{
	struct tlsf *h = lock();
	f->arena = h->arena;
	f->in_use = h->in_use;
	f->free = h->free_bytes;
	f->free_blocks = h->free_blocks;
	f->top = tlsf_top_free(h);
	unlock();
}

struct mallinfo _mallinfo_r(struct _reent *r)
{
	struct malloc_figures f;
	struct mallinfo mi;

	(void)r;
	malloc_figures(&f);
	memset(&mi, 0, sizeof(mi));
	mi.arena = f.arena;
	mi.ordblks = f.free_blocks;
	mi.uordblks = f.in_use;
	mi.fordblks = f.free;
	mi.keepcost = f.top;
	return mi;
}

void _malloc_stats_r(struct _reent *r)
{
	struct malloc_figures f;

	(void)r;
	malloc_figures(&f);
	fprintf(stderr, "heap: %zu bytes from the system, %zu in use, %zu free in %zu blocks\n",
		f.arena, f.in_use, f.free, f.free_blocks);
}

void _mstats_r(struct _reent *r, char *label)
{
	fprintf(stderr, "Memory allocation statistics %s\n", label ? label : "");
	_malloc_stats_r(r);
}

/* M_TRIM_THRESHOLD sets when free gives the top back; the rest have no meaning here. */
int _mallopt_r(struct _reent *r, int param, int value)
{
	(void)r;
	if (param != M_TRIM_THRESHOLD || value < 0)
		return 0;
	lock()->trim_threshold = (size_t)value;
	unlock();
	return 1;
}

/* The plain names: newlib's malloc.c etc. wrap the _r ones the same way. */
void *malloc(size_t n)
{
	return _malloc_r(_REENT, n);
}

void free(void *p)
{
	_free_r(_REENT, p);
}

void *calloc(size_t count, size_t size)
{
	return _calloc_r(_REENT, count, size);
}

void *realloc(void *p, size_t n)
{
	return _realloc_r(_REENT, p, n);
}

void *reallocf(void *p, size_t n)
{
	return _reallocf_r(_REENT, p, n);
}

void *memalign(size_t align, size_t n)
{
	return _memalign_r(_REENT, align, n);
}

/* C11: align a power of two (size need not be a multiple of it here). */
void *aligned_alloc(size_t align, size_t n)
{
	return _memalign_r(_REENT, align, n);
}

int posix_memalign(void **out, size_t align, size_t n)
{
	if (align < sizeof(void *) || (align & (align - 1)))
		return EINVAL;
	void *p = tlsf_memalign(lock(), align, staggered(n));
	unlock();
	if (!p)
		return ENOMEM;
	*out = p;
	return 0;
}

void *valloc(size_t n)
{
	return _valloc_r(_REENT, n);
}

void *pvalloc(size_t n)
{
	return _pvalloc_r(_REENT, n);
}

size_t malloc_usable_size(void *p)
{
	return _malloc_usable_size_r(_REENT, p);
}

int malloc_trim(size_t pad)
{
	return _malloc_trim_r(_REENT, pad);
}

struct mallinfo mallinfo(void)
{
	return _mallinfo_r(_REENT);
}

void malloc_stats(void)
{
	_malloc_stats_r(_REENT);
}

void mstats(char *label)
{
	_mstats_r(_REENT, label);
}

int mallopt(int param, int value)
{
	return _mallopt_r(_REENT, param, value);
}

void cfree(void *p)
{
	_free_r(_REENT, p);
}
