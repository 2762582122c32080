/* Host unit tests for split virtqueues (drivers/virtq.c) against a simulated device. */
// needs: drivers/virtq.c
#include <stdint.h>
#include <stdlib.h>

#include "check.h"
#include "../../drivers/virtq.h"

static struct virtq vq;
static void *cookies[256];
static void *mem;

static void setup(uint16_t size, unsigned align)
{
	free(mem);
	size_t n = virtq_mem_size(size, align);
	mem = aligned_alloc(4096, (n + 4095) & ~4095ul);
	if (!mem)
		abort();
	memset(mem, 0, n);
	virtq_init(&vq, 0, size, mem, align, cookies);
}

/* The device's side: take the next available chain, return it as used with
 * `written` bytes. Returns the head, or -1 when nothing is available. */
static uint16_t dev_last_avail;
static int dev_consume(uint32_t written, unsigned *chain_len)
{
	if (vq.avail->idx == dev_last_avail)
		return -1;
	uint16_t head = vq.avail->ring[dev_last_avail++ & (vq.size - 1)];
	unsigned n = 1;
	for (uint16_t d = head; vq.desc[d].flags & VIRTQ_DESC_F_NEXT; d = vq.desc[d].next)
		n++;
	if (chain_len)
		*chain_len = n;
	struct virtq_used_elem *e = &vq.used->ring[vq.used->idx & (vq.size - 1)];
	e->id = head;
	e->len = written;
	vq.used->idx++;
	return head;
}

TEST(test_layout_legacy)
{
	/* §2.7.2 legacy: 256 entries: desc 4096, avail 518 -> used at 8192. */
	CHECK_INT(virtq_avail_offset(256), 4096);
	CHECK_INT(virtq_used_offset(256, VIRTQ_LEGACY_ALIGN), 8192);
	CHECK_INT(virtq_mem_size(256, VIRTQ_LEGACY_ALIGN), 8192 + 4096);
	/* QEMU's legacy formula for 128 entries: 2048 + 262 -> 4096, + 1030 -> 8192 */
	CHECK_INT(virtq_used_offset(128, VIRTQ_LEGACY_ALIGN), 4096);
	CHECK_INT(virtq_mem_size(128, VIRTQ_LEGACY_ALIGN), 8192);
}

TEST(test_layout_modern)
{
	CHECK_INT(virtq_used_offset(8, VIRTQ_MODERN_ALIGN), 128 + 24);
	CHECK_INT(virtq_used_offset(8, VIRTQ_MODERN_ALIGN) % 4, 0);
	CHECK_INT(virtq_mem_size(8, VIRTQ_MODERN_ALIGN), 152 + 72);
}

TEST(test_add_get_roundtrip)
{
	setup(8, VIRTQ_LEGACY_ALIGN);
	dev_last_avail = 0;
	struct virtq_buf b[3] = { { 0x1000, 16 }, { 0x2000, 512 }, { 0x3000, 1 } };
	int head = virtq_add(&vq, b, 1, 2, (void *)0x1234);
	CHECK(head >= 0);
	CHECK_INT(vq.num_free, 5);
	/* not visible before publish */
	CHECK_INT(vq.avail->idx, 0);
	virtq_publish(&vq);
	CHECK_INT(vq.avail->idx, 1);
	uint16_t d = (uint16_t)head;
	CHECK_HEX(vq.desc[d].addr, 0x1000);
	CHECK_INT(vq.desc[d].flags, VIRTQ_DESC_F_NEXT);
	d = vq.desc[d].next;
	CHECK_INT(vq.desc[d].flags, VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE);
	d = vq.desc[d].next;
	CHECK_INT(vq.desc[d].flags, VIRTQ_DESC_F_WRITE);
	CHECK_INT(vq.desc[d].len, 1);
	CHECK(!virtq_has_used(&vq));
	CHECK(virtq_get_used(&vq, 0) == NULL);
	unsigned n;
	CHECK_INT(dev_consume(513, &n), head);
	CHECK_INT(n, 3);
	uint32_t len = 0;
	CHECK(virtq_get_used(&vq, &len) == (void *)0x1234);
	CHECK_INT(len, 513);
	CHECK_INT(vq.num_free, 8);
	CHECK(!vq.broken);
}

TEST(test_full_ring_and_wraparound)
{
	setup(4, VIRTQ_MODERN_ALIGN);
	dev_last_avail = 0;
	struct virtq_buf b[2] = { { 0x1000, 10 }, { 0x2000, 20 } };
	/* 70000 round trips wrap the 16-bit indices. */
	for (unsigned i = 0; i < 70000; i++) {
		CHECK(virtq_add(&vq, b, 1, 1, (void *)(uintptr_t)(i + 1)) >= 0);
		CHECK(virtq_add(&vq, b, 2, 0, (void *)(uintptr_t)(i + 100001)) >= 0);
		CHECK_INT(virtq_add(&vq, b, 1, 0, (void *)1), -1); /* no descriptor left */
		virtq_publish(&vq);
		CHECK(dev_consume(0, 0) >= 0);
		CHECK(dev_consume(0, 0) >= 0);
		CHECK(virtq_get_used(&vq, 0) == (void *)(uintptr_t)(i + 1));
		CHECK(virtq_get_used(&vq, 0) == (void *)(uintptr_t)(i + 100001));
		CHECK_INT(vq.num_free, 4);
	}
	CHECK_INT(vq.avail->idx, (uint16_t)140000);
}

TEST(test_out_of_order_completion)
{
	setup(8, VIRTQ_MODERN_ALIGN);
	dev_last_avail = 0;
	struct virtq_buf b[2] = { { 0x1000, 10 }, { 0x2000, 20 } };
	int h1 = virtq_add(&vq, b, 2, 0, (void *)1);
	int h2 = virtq_add(&vq, b, 1, 0, (void *)2);
	int h3 = virtq_add(&vq, b, 2, 0, (void *)3);
	virtq_publish(&vq);
	CHECK_INT(vq.num_free, 3);
	/* the device finishes h2, then h3, then h1 */
	struct virtq_used_elem *r = vq.used->ring;
	r[0].id = (uint32_t)h2, r[1].id = (uint32_t)h3, r[2].id = (uint32_t)h1;
	vq.used->idx = 3;
	CHECK(virtq_get_used(&vq, 0) == (void *)2);
	CHECK(virtq_get_used(&vq, 0) == (void *)3);
	CHECK(virtq_get_used(&vq, 0) == (void *)1);
	CHECK_INT(vq.num_free, 8);
	/* every descriptor can be chained again */
	struct virtq_buf many[8];
	for (int i = 0; i < 8; i++)
		many[i] = b[0];
	CHECK(virtq_add(&vq, many, 4, 4, (void *)9) >= 0);
	CHECK_INT(vq.num_free, 0);
}

TEST(test_bogus_used_entry_marks_broken)
{
	setup(8, VIRTQ_MODERN_ALIGN);
	vq.used->ring[0].id = 5; /* never handed out */
	vq.used->idx = 1;
	CHECK(virtq_get_used(&vq, 0) == NULL);
	CHECK(vq.broken);
	setup(8, VIRTQ_MODERN_ALIGN);
	vq.used->ring[0].id = 999; /* out of range */
	vq.used->idx = 1;
	CHECK(virtq_get_used(&vq, 0) == NULL);
	CHECK(vq.broken);
}

TEST(test_notification_suppression)
{
	setup(8, VIRTQ_MODERN_ALIGN);
	dev_last_avail = 0;
	struct virtq_buf b = { 0x1000, 10 };
	virtq_add(&vq, &b, 1, 0, (void *)1);
	virtq_publish(&vq);
	CHECK(virtq_should_notify(&vq));
	vq.used->flags = VIRTQ_USED_F_NO_NOTIFY;
	CHECK(!virtq_should_notify(&vq));
	virtq_intr_disable(&vq);
	CHECK_INT(vq.avail->flags, VIRTQ_AVAIL_F_NO_INTERRUPT);
	CHECK_INT(virtq_intr_enable(&vq), 0);
	CHECK_INT(vq.avail->flags, 0);
	dev_consume(0, 0);
	CHECK_INT(virtq_intr_enable(&vq), 1); /* work arrived: do not sleep */
}

TEST(test_rejects_empty_and_null_cookie)
{
	setup(8, VIRTQ_MODERN_ALIGN);
	struct virtq_buf b = { 0x1000, 10 };
	CHECK_INT(virtq_add(&vq, &b, 0, 0, (void *)1), -1);
	CHECK_INT(virtq_add(&vq, &b, 1, 0, NULL), -1);
	CHECK_INT(vq.num_free, 8);
}

int main(void)
{
	RUN(test_layout_legacy);
	RUN(test_layout_modern);
	RUN(test_add_get_roundtrip);
	RUN(test_full_ring_and_wraparound);
	RUN(test_out_of_order_completion);
	RUN(test_bogus_used_entry_marks_broken);
	RUN(test_notification_suppression);
	RUN(test_rejects_empty_and_null_cookie);
	free(mem);
	return CHECK_EXIT_STATUS();
}
