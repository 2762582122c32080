/* Driver test (not an app: calls the blkdev API): virtio-blk write/read/flush round trips, ranges, threads. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <skiff/blkdev.h>

/* Usage: blk_rw [write SEED | verify SEED | readonly]; no argument runs the in-boot checks. */

static struct blkdev *bd;
static int fails;

#define CHECK(cond, ...)                                  \
	do {                                              \
		if (!(cond)) {                            \
			printf("FAIL %s: ", #cond);       \
			printf(__VA_ARGS__);              \
			printf("\n");                     \
			fails++;                          \
		}                                         \
	} while (0)

static void pattern(uint8_t *p, size_t n, uint64_t sector, unsigned seed)
{
	for (size_t i = 0; i < n; i++) {
		uint64_t s = sector + i / 512;
		p[i] = (uint8_t)(s * 131 + (i % 512) * 7 + seed);
	}
}

/* Write count sectors at sector from a buffer at offset `skew` into the heap
 * (so it is neither aligned nor page-contiguous), read back into another. */
static void round_trip(uint64_t sector, size_t count, size_t skew, unsigned seed)
{
	size_t n = count * 512;
	uint8_t *w = malloc(n + skew), *r = malloc(n + 3);
	pattern(w + skew, n, sector, seed);
	int err = blkdev_write(bd, sector, w + skew, count);
	CHECK(err == 0, "write %zu sectors at %llu: %d", count, (unsigned long long)sector, err);
	memset(r + 3, 0, n);
	err = blkdev_read(bd, sector, r + 3, count);
	CHECK(err == 0, "read %zu sectors at %llu: %d", count, (unsigned long long)sector, err);
	CHECK(memcmp(w + skew, r + 3, n) == 0, "data differs after %zu sectors at %llu", count,
	      (unsigned long long)sector);
	free(w);
	free(r);
}

static void *worker(void *arg)
{
	unsigned id = (unsigned)(uintptr_t)arg;
	for (unsigned i = 0; i < 20; i++)
		round_trip(1024 + id * 256 + (i % 8) * 16, 16, id + 1, id * 40 + i);
	return 0;
}

static int boot_checks(void)
{
	round_trip(0, 1, 0, 1);
	round_trip(1, 7, 5, 2);
	round_trip(bd->sectors - 3, 3, 1, 3);     /* the very end */
	round_trip(100, 2048, 17, 4);             /* 1 MiB: many requests */
	printf("ok round trips\n");

	uint8_t buf[1024];
	CHECK(blkdev_read(bd, bd->sectors - 1, buf, 2) == -22, "read past the end");
	CHECK(blkdev_read(bd, bd->sectors, buf, 1) == -22, "read at capacity");
	CHECK(blkdev_write(bd, 0, buf, 0) == -22, "zero sectors");
	CHECK(blkdev_read(bd, 0, 0, 1) == -22, "NULL buffer");
	printf("ok range checks\n");

	int err = blkdev_flush(bd);
	CHECK(err == 0 || (err == -134 && !(bd->features & BLKDEV_F_FLUSH)), "flush: %d", err);
	printf("ok flush (%d)\n", err);

	pthread_t t[4];
	for (unsigned i = 0; i < 4; i++)
		pthread_create(&t[i], 0, worker, (void *)(uintptr_t)i);
	for (unsigned i = 0; i < 4; i++)
		pthread_join(t[i], 0);
	printf("ok 4 threads x 20 round trips\n");
	return fails;
}

int main(int argc, char **argv)
{
	bd = blkdev_get(0);
	if (!bd) {
		printf("FAIL no block device\n");
		return 1;
	}
	printf("%s: %llu sectors of %u bytes, features %#x\n", bd->name,
	       (unsigned long long)bd->sectors, bd->sector_size, (unsigned)bd->features);
	if (argc == 2 && strcmp(argv[1], "readonly") == 0) {
		static uint8_t buf[512];
		CHECK(bd->features & BLKDEV_F_RO, "not flagged read-only");
		CHECK(blkdev_write(bd, 0, buf, 1) == -30, "write to a read-only disk: want -EROFS");
		CHECK(blkdev_read(bd, 0, buf, 1) == 0, "read from a read-only disk");
		printf("readonly %s\n", fails ? "FAILED" : "SUCCESS");
		return fails ? 1 : 0;
	}
	if (argc == 3) {
		unsigned seed = (unsigned)atoi(argv[2]);
		static uint8_t want[64 * 512], got[64 * 512];
		pattern(want, sizeof(want), 4096, seed);
		if (strcmp(argv[1], "write") == 0) {
			CHECK(blkdev_write(bd, 4096, want, 64) == 0, "write");
			CHECK(blkdev_flush(bd) == 0, "flush");
		} else {
			CHECK(blkdev_read(bd, 4096, got, 64) == 0, "read");
			CHECK(memcmp(want, got, sizeof(got)) == 0, "data from the previous boot differs");
		}
		printf("%s %s\n", argv[1], fails ? "FAILED" : "SUCCESS");
		return fails ? 1 : 0;
	}
	boot_checks();
	printf("%s\n", fails ? "FAILED" : "SUCCESS");
	return fails ? 1 : 0;
}
