/* A two-level segregated-fit heap (TLSF, after Masmano et al.): bitmaps find a free block in O(1). */
#include <string.h>

#include "tlsf.h"

/* A block starts 16-aligned with two words; its payload follows them. A used block's
 * payload runs on over the next block's prev_size word (8 bytes of overhead), which a
 * free block fills with its size (a footer), so free can find and merge a free
 * predecessor. A free block keeps its list links at the start of the payload. Each
 * region ends in a sentinel: a used block of size 0, its header the region's last 16 bytes. */
struct tlsf_block {
	size_t prev_size;	/* the previous block's size, valid when F_PREV_FREE */
	size_t size;		/* a multiple of 16, flags in the low bits */
	struct tlsf_block *next_free, *prev_free;
};

#define HDR 16		  /* prev_size + size, before the payload */
#define OVERHEAD 8	  /* what a used block costs beyond its payload */
#define MIN_BLOCK 32	  /* header and the two links */
#define F_FREE 1
#define F_PREV_FREE 2
#define FLAGS 15
#define MAX_BLOCK ((size_t)1 << (TLSF_FL_COUNT + TLSF_FL_SHIFT - 1))
#define EXACT_WALK 32	  /* free blocks looked at in the exact class before growing */

typedef struct tlsf_block blk;

static size_t bsize(const blk *b)
{
	return b->size & ~(size_t)FLAGS;
}

static blk *at(void *base, size_t off)
{
	return (blk *)((char *)base + off);
}

static blk *bnext(blk *b)
{
	return at(b, bsize(b));
}

static blk *bprev(blk *b)
{
	return (blk *)((char *)b - b->prev_size);
}

static void *payload(blk *b)
{
	return (char *)b + HDR;
}

static blk *of_payload(const void *p)
{
	return (blk *)((char *)p - HDR);
}

static blk *sentinel(const struct tlsf *h)
{
	return (blk *)(h->end - HDR);
}

static int msb(size_t v)
{
	return 63 - __builtin_clzl(v);
}

static size_t round_up(size_t v, size_t to)
{
	return (v + to - 1) & ~(to - 1);
}

/* The class a block of size s is filed in. */
static void mapping(size_t s, int *fl, int *sl)
{
	if (s < TLSF_SMALL) {
		*fl = 0;
		*sl = (int)(s / TLSF_ALIGN);
	} else {
		int m = msb(s);
		*fl = m - TLSF_FL_SHIFT + 1;
		*sl = (int)((s >> (m - TLSF_SL_LOG2)) - TLSF_SL_COUNT);
	}
}

/* Block size for n payload bytes; 0 when too big. */
static size_t block_size(size_t n)
{
	if (n >= MAX_BLOCK / 2)
		return 0;
	size_t s = round_up(n + OVERHEAD, TLSF_ALIGN);
	return s < MIN_BLOCK ? MIN_BLOCK : s;
}

static void insert(struct tlsf *h, blk *b)
{
	int fl, sl;

	mapping(bsize(b), &fl, &sl);
	b->prev_free = NULL;
	b->next_free = h->heads[fl][sl];
	if (b->next_free)
		b->next_free->prev_free = b;
	h->heads[fl][sl] = b;
	h->sl_map[fl] |= (uint16_t)(1u << sl);
	h->fl_map |= 1u << fl;
	h->free_bytes += bsize(b);
	h->free_blocks++;
}

static void remove_free(struct tlsf *h, blk *b)
{
	int fl, sl;

	mapping(bsize(b), &fl, &sl);
	if (b->next_free)
		b->next_free->prev_free = b->prev_free;
	if (b->prev_free) {
		b->prev_free->next_free = b->next_free;
	} else {
		h->heads[fl][sl] = b->next_free;
		if (!b->next_free) {
			h->sl_map[fl] &= (uint16_t)~(1u << sl);
			if (!h->sl_map[fl])
				h->fl_map &= ~(1u << fl);
		}
	}
	h->free_bytes -= bsize(b);
	h->free_blocks--;
}

/* The head of the first non-empty list at class (fl, sl) or above. */
static blk *first_at_or_above(const struct tlsf *h, int fl, int sl)
{
	uint32_t sm = h->sl_map[fl] & (~0u << sl);

	if (!sm) {
		if (fl + 1 >= TLSF_FL_COUNT)
			return NULL;
		uint32_t fm = h->fl_map & (~0u << (fl + 1));
		if (!fm)
			return NULL;
		fl = __builtin_ctz(fm);
		sm = h->sl_map[fl];
	}
	return h->heads[fl][__builtin_ctz(sm)];
}

/* A free block of at least need bytes, or NULL. Good fit: the search starts one class up
 * (any block there fits); then a short walk of need's own class and a look at the top
 * block, so memory is not grown while a fitting block sits free. */
static blk *find_free(const struct tlsf *h, size_t need)
{
	int fl, sl;
	size_t r = need;

	if (r >= TLSF_SMALL)
		r += ((size_t)1 << (msb(r) - TLSF_SL_LOG2)) - 1;
	if (r < MAX_BLOCK) {
		mapping(r, &fl, &sl);
		blk *b = first_at_or_above(h, fl, sl);
		if (b)
			return b;
	}
	mapping(need, &fl, &sl);
	blk *b = h->heads[fl][sl];
	for (int k = 0; b && k < EXACT_WALK; b = b->next_free, k++)
		if (bsize(b) >= need)
			return b;
	if (h->end && (sentinel(h)->size & F_PREV_FREE)) {
		b = bprev(sentinel(h));
		if (bsize(b) >= need)
			return b;
	}
	return NULL;
}

/* b (used, in no list) becomes free: merged with free neighbours, filed, its footer written. */
static blk *release(struct tlsf *h, blk *b)
{
	size_t s = bsize(b);

	if (b->size & F_PREV_FREE) {
		blk *p = bprev(b);
		remove_free(h, p);
		s += bsize(p);
		b = p;
	}
	blk *n = at(b, s);
	if (n->size & F_FREE) {
		remove_free(h, n);
		s += bsize(n);
	}
	b->size = s | F_FREE | (b->size & F_PREV_FREE);
	n = at(b, s);
	n->prev_size = s;
	n->size |= F_PREV_FREE;
	insert(h, b);
	return b;
}

/* Cut b (in no list) down to need bytes when the rest can be a block; the rest is freed. */
static void split(struct tlsf *h, blk *b, size_t need)
{
	size_t s = bsize(b);

	if (s - need < MIN_BLOCK)
		return;
	blk *rest = at(b, need);
	b->size = need | (b->size & FLAGS);
	rest->size = s - need;
	release(h, rest);
}

static void mark_used(blk *b)
{
	b->size &= ~(size_t)F_FREE;
	bnext(b)->size &= ~(size_t)F_PREV_FREE;
}

/* Take n bytes from grow and add them to the heap: they extend the top free block when
 * they follow the last region, else they make a region of their own. 0, or -1. */
static int add_memory(struct tlsf *h, size_t n)
{
	char *p = h->grow(n, h->ctx);

	if (!p)
		return -1;
	h->arena += n;
	if (h->end && p == h->raw_end) {
		char *end = (char *)((size_t)(p + n) & ~(size_t)(TLSF_ALIGN - 1));
		blk *old = sentinel(h);	/* becomes a block up to the new sentinel */
		old->size = (size_t)(end - h->end) | (old->size & F_PREV_FREE);
		h->end = end;
		h->raw_end = p + n;
		sentinel(h)->size = 0;
		release(h, old);
		return 0;
	}
	char *a = (char *)round_up((size_t)p, TLSF_ALIGN);
	size_t len = (n - (size_t)(a - p)) & ~(size_t)(TLSF_ALIGN - 1);
	if ((size_t)(a - p) >= n || len < HDR + MIN_BLOCK)
		return 0; /* too small to use: counted, left alone */
	blk *first = (blk *)a;
	first->size = len - HDR;
	h->end = a + len;
	h->raw_end = p + n;
	sentinel(h)->size = 0;
	if (!h->first)
		h->first = a;
	release(h, first);
	return 0;
}

/* What to ask grow for so the top gains at least want bytes (and a whole block), ending
 * on a page boundary when it follows the last region. */
static size_t grow_size(const struct tlsf *h, size_t want)
{
	if (want < MIN_BLOCK)
		want = MIN_BLOCK;
	return round_up((size_t)h->raw_end + want, h->page) - (size_t)h->raw_end;
}

/* Grow the heap until a free block of need bytes exists. 0, or -1. */
static int grow_for(struct tlsf *h, size_t need)
{
	for (int tries = 0; tries < 3; tries++) {
		if (find_free(h, need))
			return 0;
		size_t top = 0, n;
		if (h->end && (sentinel(h)->size & F_PREV_FREE))
			top = bsize(bprev(sentinel(h)));
		if (h->end) {
			n = grow_size(h, need - top); /* top < need: find_free looked at it */
		} else {
			n = round_up(need + HDR + TLSF_ALIGN, h->page);
		}
		if (n < need - top || add_memory(h, n))
			return -1;
	}
	return find_free(h, need) ? 0 : -1;
}

/* A top free block past the trim threshold goes back to grow's source. */
static void maybe_trim(struct tlsf *h, blk *b)
{
	if (h->trim_threshold && bsize(b) >= h->trim_threshold && bnext(b) == sentinel(h))
		tlsf_trim(h, h->trim_threshold / 2);
}

void tlsf_init(struct tlsf *h, tlsf_grow_fn grow, tlsf_shrink_fn shrink, void *ctx, size_t page)
{
	memset(h, 0, sizeof(*h));
	h->grow = grow;
	h->shrink = shrink;
	h->ctx = ctx;
	h->page = page;
	h->trim_threshold = TLSF_TRIM_DEFAULT;
}

void *tlsf_malloc(struct tlsf *h, size_t n)
{
	size_t need = block_size(n);
	blk *b;

	if (!need)
		return NULL;
	if (!(b = find_free(h, need))) {
		if (grow_for(h, need))
			return NULL;
		b = find_free(h, need);
	}
	remove_free(h, b);
	split(h, b, need);
	mark_used(b);
	h->in_use += bsize(b);
	return payload(b);
}

void *tlsf_memalign(struct tlsf *h, size_t align, size_t n)
{
	if (align <= TLSF_ALIGN)
		return tlsf_malloc(h, n);
	size_t need = block_size(n);
	if (!need || align >= MAX_BLOCK / 4)
		return NULL;
	size_t ask = need + align + MIN_BLOCK; /* room for an aligned payload and a free lead */
	if (grow_for(h, ask))
		return NULL;
	blk *b = find_free(h, ask);
	remove_free(h, b);
	size_t pay = (size_t)payload(b), al = round_up(pay, align);
	if (al != pay) {
		while (al - pay < MIN_BLOCK)
			al += align;
		size_t gap = al - pay, s = bsize(b);
		blk *lead = b;
		b = at(lead, gap);
		b->size = s - gap;
		lead->size = gap | (lead->size & F_PREV_FREE);
		release(h, lead); /* its neighbours are used: it stays gap bytes */
	}
	split(h, b, need);
	mark_used(b);
	h->in_use += bsize(b);
	return payload(b);
}

int tlsf_free(struct tlsf *h, void *p)
{
	blk *b = of_payload(p);

	if (((size_t)p & (TLSF_ALIGN - 1)) || (b->size & F_FREE) || bsize(b) < MIN_BLOCK ||
	    (bnext(b)->size & F_PREV_FREE))
		return -1;
	h->in_use -= bsize(b);
	maybe_trim(h, release(h, b));
	return 0;
}

void *tlsf_realloc(struct tlsf *h, void *p, size_t n)
{
	blk *b = of_payload(p);
	size_t s = bsize(b), need = block_size(n);

	if (!need)
		return NULL;
	if (need <= s) {
		split(h, b, need);
		h->in_use -= s - bsize(b);
		return p;
	}
	blk *nx = bnext(b);
	size_t avail = s + ((nx->size & F_FREE) ? bsize(nx) : 0);
	blk *after = (nx->size & F_FREE) ? bnext(nx) : nx;
	if (avail < need && after == sentinel(h) &&
	    add_memory(h, grow_size(h, need - avail)) == 0)
		nx = bnext(b); /* the top grew in place: a free block follows, or a bigger one */
	if ((nx->size & F_FREE) && s + bsize(nx) >= need) {
		remove_free(h, nx);
		b->size += bsize(nx);
		bnext(b)->size &= ~(size_t)F_PREV_FREE;
		split(h, b, need);
		h->in_use += bsize(b) - s;
		return p;
	}
	void *q = tlsf_malloc(h, n);
	if (!q)
		return NULL;
	memcpy(q, p, s - OVERHEAD);
	tlsf_free(h, p);
	return q;
}

size_t tlsf_usable(const void *p)
{
	return bsize(of_payload(p)) - OVERHEAD;
}

size_t tlsf_top_free(const struct tlsf *h)
{
	if (!h->end || !(sentinel(h)->size & F_PREV_FREE))
		return 0;
	return bsize(bprev(sentinel(h)));
}

int tlsf_trim(struct tlsf *h, size_t pad)
{
	if (!tlsf_top_free(h) || !h->shrink)
		return 0;
	blk *b = bprev(sentinel(h));
	char *keep = (char *)round_up((size_t)b + MIN_BLOCK + round_up(pad, TLSF_ALIGN) + HDR, h->page);
	if (keep >= h->end)
		return 0;
	size_t give = (size_t)(h->raw_end - keep);
	if (h->shrink(h->raw_end, give, h->ctx))
		return 0;
	remove_free(h, b);
	b->size -= (size_t)(h->end - keep);
	h->end = keep;
	h->raw_end = keep;
	h->arena -= give;
	blk *st = sentinel(h);
	st->prev_size = bsize(b);
	st->size = F_PREV_FREE;
	insert(h, b);
	return 1;
}

/* Invariant checks for tests. */
static const char *check_lists(const struct tlsf *h, size_t *bytes, size_t *count)
{
	*bytes = *count = 0;
	for (int fl = 0; fl < TLSF_FL_COUNT; fl++) {
		if (!!(h->fl_map & (1u << fl)) != !!h->sl_map[fl])
			return "first-level bitmap disagrees with second level";
		for (int sl = 0; sl < TLSF_SL_COUNT; sl++) {
			blk *b = h->heads[fl][sl], *prev = NULL;
			if (!!(h->sl_map[fl] & (1u << sl)) != !!b)
				return "second-level bitmap disagrees with a list";
			for (; b; prev = b, b = b->next_free) {
				int f, s;
				mapping(bsize(b), &f, &s);
				if (f != fl || s != sl)
					return "free block in the wrong class";
				if (b->prev_free != prev)
					return "broken back link";
				if (!(b->size & F_FREE))
					return "used block in a free list";
				*bytes += bsize(b);
				(*count)++;
			}
		}
	}
	return NULL;
}

const char *tlsf_check(const struct tlsf *h)
{
	size_t list_bytes, list_count, used = 0, freeb = 0, nfree = 0;
	const char *why = check_lists(h, &list_bytes, &list_count);

	if (why)
		return why;
	if (list_bytes != h->free_bytes || list_count != h->free_blocks)
		return "free figures disagree with the lists";
	if (!h->first)
		return h->in_use || h->free_bytes ? "figures without a heap" : NULL;
	int prev_free = 0;
	blk *b = (blk *)h->first;
	for (; bsize(b); b = bnext(b)) {
		if ((char *)b >= h->end || bsize(b) < MIN_BLOCK || (b->size & (TLSF_ALIGN - 1) & ~3u))
			return "bad block size";
		if (!!(b->size & F_PREV_FREE) != prev_free)
			return "F_PREV_FREE disagrees with the previous block";
		if (b->size & F_FREE) {
			if (prev_free)
				return "two free blocks side by side";
			if (bnext(b)->prev_size != bsize(b))
				return "free block's footer is wrong";
			freeb += bsize(b);
			nfree++;
		} else {
			used += bsize(b);
		}
		prev_free = !!(b->size & F_FREE);
	}
	if ((char *)b + HDR != h->end)
		return "sentinel not at the region's end";
	if (!!(b->size & F_PREV_FREE) != prev_free)
		return "sentinel's F_PREV_FREE is wrong";
	if (used != h->in_use || freeb != h->free_bytes || nfree != h->free_blocks)
		return "walked figures disagree with the counters";
	return NULL;
}
