/* Handle tables: newlib makes pthread_t, pthread_mutex_t and pthread_cond_t
 * 32-bit integers, so each names a heap record through one of these. */
#include <stdlib.h>

#include "shim.h"

/* A free slot holds (next free handle << 1) | 1; records are malloc'd and
 * so even, which keeps the two apart. */
#define SLOT_FREE(next) ((void *)(((uintptr_t)(next) << 1) | 1))
#define SLOT_IS_FREE(p) (((uintptr_t)(p) & 1) != 0)
#define SLOT_NEXT(p) ((uint32_t)((uintptr_t)(p) >> 1))

static void **slot_of(struct handle_table *t, uint32_t h)
{
	if (h == 0 || h >= HANDLE_CHUNK * HANDLE_CHUNKS)
		return NULL;
	void **chunk = __atomic_load_n(&t->chunks[h / HANDLE_CHUNK], __ATOMIC_ACQUIRE);
	return chunk ? &chunk[h % HANDLE_CHUNK] : NULL;
}

uint32_t handle_alloc(struct handle_table *t, void *obj)
{
	uint32_t h = 0;

	sk_mutex_lock(&t->lock);
	if (t->free_head) {
		h = t->free_head;
		t->free_head = SLOT_NEXT(*slot_of(t, h));
	} else if (t->used + 1 < HANDLE_CHUNK * HANDLE_CHUNKS) {
		uint32_t fresh = t->used + 1;
		void ***chunk = &t->chunks[fresh / HANDLE_CHUNK];
		if (!*chunk)
			__atomic_store_n(chunk, calloc(HANDLE_CHUNK, sizeof(void *)),
					 __ATOMIC_RELEASE);
		if (*chunk) {
			t->used = fresh;
			h = fresh;
		}
	}
	if (h)
		__atomic_store_n(slot_of(t, h), obj, __ATOMIC_RELEASE);
	sk_mutex_unlock(&t->lock);
	return h;
}

void *handle_get(struct handle_table *t, uint32_t h)
{
	void **slot = slot_of(t, h);
	void *p = slot ? __atomic_load_n(slot, __ATOMIC_ACQUIRE) : NULL;

	return p && !SLOT_IS_FREE(p) ? p : NULL;
}

void handle_free(struct handle_table *t, uint32_t h)
{
	sk_mutex_lock(&t->lock);
	void **slot = slot_of(t, h);
	if (slot && *slot && !SLOT_IS_FREE(*slot)) {
		__atomic_store_n(slot, SLOT_FREE(t->free_head), __ATOMIC_RELEASE);
		t->free_head = h;
	}
	sk_mutex_unlock(&t->lock);
}

static int is_unset(uint32_t v)
{
	return v == 0 || v == HANDLE_UNSET;
}

/* Serialises first-use creation for every table (a rare, short path). */
static struct sk_mutex lazy_lock = SK_MUTEX_INIT;

void *handle_resolve(struct handle_table *t, uint32_t *h, void *(*create)(void))
{
	uint32_t v = __atomic_load_n(h, __ATOMIC_ACQUIRE);

	if (!is_unset(v))
		return handle_get(t, v);
	sk_mutex_lock(&lazy_lock);
	v = *h;
	if (is_unset(v)) {
		void *obj = create();
		v = obj ? handle_alloc(t, obj) : 0;
		if (v)
			__atomic_store_n(h, v, __ATOMIC_RELEASE);
		else
			free(obj);
	}
	sk_mutex_unlock(&lazy_lock);
	return handle_get(t, v);
}
