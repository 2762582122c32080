/* Host unit tests for the TLSF heap behind malloc (libc-shim/malloc/tlsf.c): random stress with invariant checks. */
// needs: libc-shim/malloc/tlsf.c
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "../../libc-shim/malloc/tlsf.h"

#define ARENA (64u << 20)
#define PAGE 4096

/* A fake sbrk over one host buffer: brk grows up to limit; foreign() moves it behind the heap's back. */
static char *arena;
static size_t brk, limit, grows;
static struct tlsf h;

static void *grow(size_t n, void *ctx)
{
	(void)ctx;
	if (n > limit - brk)
		return NULL;
	grows++;
	brk += n;
	return arena + brk - n;
}

static int shrink(char *end, size_t n, void *ctx)
{
	(void)ctx;
	if (end != arena + brk || n > brk)
		return -1;
	brk -= n;
	memset(arena + brk, 0xdd, n); /* what was given back is not the heap's any more */
	return 0;
}

static void fresh(size_t lim)
{
	if (!arena && !(arena = aligned_alloc(PAGE, ARENA)))
		abort();
	brk = 0;
	grows = 0;
	limit = lim;
	tlsf_init(&h, grow, shrink, NULL, PAGE);
}

static uint64_t rng = 88172645463325252ull;

static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* A size with a mix of small, medium and (rarely) large requests. */
static size_t rnd_size(void)
{
	unsigned r = rnd() % 100;
	if (r < 60)
		return rnd() % 257;
	if (r < 95)
		return rnd() % 4097;
	return rnd() % (256u << 10);
}

#define SLOTS 1500

struct live {
	unsigned char *p;
	size_t n;
	unsigned char fill;
};

static struct live slots[SLOTS];

static int cmp_live(const void *a, const void *b)
{
	const struct live *x = a, *y = b;
	return x->p < y->p ? -1 : x->p > y->p;
}

/* NULL if every live block is intact and none overlaps another; else what is wrong. */
static const char *check_live(void)
{
	static struct live sorted[SLOTS];
	int n = 0;

	for (int i = 0; i < SLOTS; i++) {
		if (!slots[i].p)
			continue;
		for (size_t k = 0; k < slots[i].n; k++)
			if (slots[i].p[k] != slots[i].fill)
				return "block contents changed";
		sorted[n++] = slots[i];
	}
	qsort(sorted, (size_t)n, sizeof(sorted[0]), cmp_live);
	for (int i = 1; i < n; i++)
		if (sorted[i - 1].p + tlsf_usable(sorted[i - 1].p) > sorted[i].p)
			return "two blocks overlap";
	return NULL;
}

static void put(int i, void *p, size_t n)
{
	slots[i].p = p;
	slots[i].n = n;
	slots[i].fill = (unsigned char)rnd();
	memset(p, slots[i].fill, n);
}

TEST(test_small_blocks_aligned_and_usable)
{
	fresh(ARENA);
	for (size_t n = 0; n < 600; n++) {
		unsigned char *p = tlsf_malloc(&h, n);
		CHECK(p != NULL);
		CHECK_INT((uintptr_t)p % 16, 0);
		CHECK(tlsf_usable(p) >= n);
		CHECK(tlsf_usable(p) < n + 16 + 24);
		memset(p, 0x5a, tlsf_usable(p)); /* the whole usable size is ours */
		CHECK(tlsf_check(&h) == NULL);
		CHECK_INT(tlsf_free(&h, p), 0);
	}
	CHECK(tlsf_check(&h) == NULL);
	CHECK_INT(h.in_use, 0);
	CHECK_INT(h.free_blocks, 1);
}

TEST(test_random_stress)
{
	const char *why;

	fresh(ARENA);
	memset(slots, 0, sizeof(slots));
	for (int op = 0; op < 60000; op++) {
		int i = (int)(rnd() % SLOTS);
		unsigned kind = rnd() % 10;
		if (!slots[i].p) {
			size_t n = rnd_size();
			void *p;
			if (kind < 2) {
				size_t align = (size_t)32 << (rnd() % 8);
				p = tlsf_memalign(&h, align, n);
				CHECK(p != NULL);
				CHECK_INT((uintptr_t)p % align, 0);
			} else {
				p = tlsf_malloc(&h, n);
				CHECK(p != NULL);
				CHECK_INT((uintptr_t)p % 16, 0);
			}
			CHECK(tlsf_usable(p) >= n);
			put(i, p, n);
		} else if (kind < 4) {
			size_t n = rnd_size() + 1, keep = n < slots[i].n ? n : slots[i].n;
			unsigned char fill = slots[i].fill;
			unsigned char *q = tlsf_realloc(&h, slots[i].p, n);
			CHECK(q != NULL);
			for (size_t k = 0; k < keep; k++)
				if (q[k] != fill)
					CHECK_FAIL("realloc lost byte %zu of %zu", k, keep);
			put(i, q, n);
		} else {
			CHECK_INT(tlsf_free(&h, slots[i].p), 0);
			slots[i].p = NULL;
		}
		if (op % 500 == 0) {
			if ((why = tlsf_check(&h)) || (why = check_live()))
				CHECK_FAIL("after op %d: %s", op, why);
		}
	}
	if ((why = tlsf_check(&h)) || (why = check_live()))
		CHECK_FAIL("at the end: %s", why);
	for (int i = 0; i < SLOTS; i++)
		if (slots[i].p) {
			CHECK_INT(tlsf_free(&h, slots[i].p), 0);
			slots[i].p = NULL;
		}
	CHECK(tlsf_check(&h) == NULL);
	CHECK_INT(h.in_use, 0);
	CHECK_INT(h.free_blocks, 1); /* everything merged back into one block */
}

/* Freed neighbours merge at once: after freeing all, one block holds it all and a
 * request for nearly all of it is served without growing. */
TEST(test_coalescing_gives_memory_back)
{
	static void *p[4000];

	fresh(ARENA);
	h.trim_threshold = 0; /* keep it all: this is about merging */
	for (int i = 0; i < 4000; i++)
		CHECK((p[i] = tlsf_malloc(&h, 16 + (size_t)(rnd() % 200))) != NULL);
	size_t arena_before = h.arena;
	for (int i = 0; i < 4000; i++) { /* odd ones first: no two free blocks may touch */
		int k = i < 2000 ? 2 * i + 1 : 2 * (i - 2000);
		CHECK_INT(tlsf_free(&h, p[k]), 0);
		if (i == 1999) /* 2000 holes; the last may have merged with the free top */
			CHECK(h.free_blocks == 2000 || h.free_blocks == 2001);
	}
	CHECK(tlsf_check(&h) == NULL);
	CHECK_INT(h.free_blocks, 1);
	CHECK_INT(h.in_use, 0);
	size_t g = grows;
	void *big = tlsf_malloc(&h, h.free_bytes - 64);
	CHECK(big != NULL);
	CHECK_INT(grows, g);
	CHECK_INT(h.arena, arena_before);
	CHECK_INT(tlsf_free(&h, big), 0);
}

TEST(test_out_of_memory_then_recovers)
{
	static void *p[1000];
	int n = 0;

	fresh(1u << 20);
	while (n < 1000 && (p[n] = tlsf_malloc(&h, 3000)))
		n++;
	CHECK(n > 300 && n < 350);
	CHECK(tlsf_check(&h) == NULL);
	CHECK(tlsf_malloc(&h, 100000) == NULL);
	CHECK(tlsf_memalign(&h, 4096, 100000) == NULL);
	CHECK(tlsf_realloc(&h, p[0], 100000) == NULL);
	CHECK(tlsf_check(&h) == NULL);
	for (int i = 0; i < n; i++)
		CHECK_INT(tlsf_free(&h, p[i]), 0);
	void *q = tlsf_malloc(&h, 900u << 10);
	CHECK(q != NULL);
	CHECK_INT(tlsf_free(&h, q), 0);
	CHECK(tlsf_malloc(&h, SIZE_MAX) == NULL);
	CHECK(tlsf_malloc(&h, SIZE_MAX / 2) == NULL);
	CHECK(tlsf_memalign(&h, (size_t)1 << 62, 16) == NULL);
	CHECK(tlsf_check(&h) == NULL);
}

TEST(test_double_and_wild_free_refused)
{
	fresh(ARENA);
	char *a = tlsf_malloc(&h, 100), *b = tlsf_malloc(&h, 100);
	CHECK_INT(tlsf_free(&h, a), 0);
	size_t fb = h.free_bytes;
	CHECK_INT(tlsf_free(&h, a), -1);
	CHECK_INT(tlsf_free(&h, b + 8), -1);
	CHECK_INT(h.free_bytes, fb);
	CHECK(tlsf_check(&h) == NULL);
	CHECK_INT(tlsf_free(&h, b), 0);
}

TEST(test_realloc_in_place)
{
	fresh(ARENA);
	char *a = tlsf_malloc(&h, 1000), *b = tlsf_malloc(&h, 1000);
	memset(b, 7, 1000);
	char *b2 = tlsf_realloc(&h, b, 200000); /* the top block grows where it is */
	CHECK(b2 == b);
	CHECK(b2[999] == 7);
	CHECK(tlsf_realloc(&h, b2, 10) == b2); /* shrinking gives the tail back */
	CHECK(h.in_use < 1200 + 64);
	CHECK_INT(tlsf_free(&h, b2), 0);
	char *a2 = tlsf_realloc(&h, a, 5000); /* a free block follows now */
	CHECK(a2 == a);
	CHECK(tlsf_check(&h) == NULL);
	CHECK_INT(tlsf_free(&h, a2), 0);
}

TEST(test_trim_returns_top)
{
	fresh(ARENA);
	void *small = tlsf_malloc(&h, 100);
	void *big = tlsf_malloc(&h, 8u << 20);
	CHECK(brk >= (8u << 20));
	CHECK_INT(tlsf_free(&h, big), 0); /* past the trim threshold: the top goes back */
	CHECK(brk < (1u << 20));
	CHECK_INT(h.arena, brk);
	CHECK(tlsf_check(&h) == NULL);
	CHECK(tlsf_trim(&h, 0) == 1 || brk <= 2 * PAGE);
	CHECK(brk <= 2 * PAGE);
	CHECK(tlsf_check(&h) == NULL);
	void *again = tlsf_malloc(&h, 1u << 20);
	CHECK(again != NULL);
	CHECK(tlsf_check(&h) == NULL);
	CHECK_INT(tlsf_free(&h, again), 0);
	CHECK_INT(tlsf_free(&h, small), 0);
}

/* Someone else moves the break: the heap starts a second region and never gives back memory that is not its own. */
TEST(test_foreign_sbrk)
{
	fresh(ARENA);
	void *a = tlsf_malloc(&h, 1000);
	brk += 100; /* a foreign sbrk of an odd size */
	size_t foreign_end = brk;
	void *b = tlsf_malloc(&h, 200000);
	CHECK(b != NULL);
	CHECK((char *)b > arena + foreign_end);
	CHECK_INT((uintptr_t)b % 16, 0);
	memset(b, 1, 200000);
	CHECK_INT(tlsf_free(&h, b), 0);
	CHECK(brk >= foreign_end);
	CHECK_INT(tlsf_free(&h, a), 0);
}

int main(void)
{
	RUN(test_small_blocks_aligned_and_usable);
	RUN(test_random_stress);
	RUN(test_coalescing_gives_memory_back);
	RUN(test_out_of_memory_then_recovers);
	RUN(test_double_and_wild_free_refused);
	RUN(test_realloc_in_place);
	RUN(test_trim_returns_top);
	RUN(test_foreign_sbrk);
	return CHECK_EXIT_STATUS();
}
