/* diskio: disk I/O benchmark job (sequential write+fsync and read, random 4 KiB IOPS, fsync-per-write latency) that checks every byte it reads back. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define CHUNK (1u << 20)	/* sequential transfers */
#define BLOCK 4096u		/* random transfers */
#define MAX_SYNCS 4096

static unsigned char buf[CHUNK];
static uint32_t sync_us[MAX_SYNCS];

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *what)
{
	printf("diskio: FAIL %s: %s\n", what, strerror(errno));
	exit(1);
}

/* The byte at file offset off in generation gen: every 8-byte word holds its own offset and gen. */
static void fill(unsigned char *p, size_t n, uint64_t off, uint32_t gen)
{
	for (size_t i = 0; i < n; i += 8) {
		uint64_t w = ((off + i) * 0x9e3779b97f4a7c15ull) ^ gen;
		memcpy(p + i, &w, 8);
	}
}

/* 0 when p holds generation gen at off. */
static int check(const unsigned char *p, size_t n, uint64_t off, uint32_t gen)
{
	for (size_t i = 0; i < n; i += 8) {
		uint64_t w = ((off + i) * 0x9e3779b97f4a7c15ull) ^ gen, got;
		memcpy(&got, p + i, 8);
		if (got != w) {
			printf("diskio: FAIL wrong data at offset %llu (generation %u)\n",
			       (unsigned long long)(off + i), gen);
			return -1;
		}
	}
	return 0;
}

static uint64_t rng = 0x2545f4914f6cdd1dull;

static uint64_t next_block(uint64_t blocks)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng % blocks;
}

static void full_pwrite(int fd, const void *p, size_t n, uint64_t off)
{
	ssize_t w = pwrite(fd, p, n, (off_t)off);

	if (w != (ssize_t)n) {
		if (w >= 0)
			errno = EIO;
		die("pwrite");
	}
}

static void full_pread(int fd, void *p, size_t n, uint64_t off)
{
	ssize_t r = pread(fd, p, n, (off_t)off);

	if (r != (ssize_t)n) {
		if (r >= 0)
			errno = EIO;
		die("pread");
	}
}

/* Drop the file's pages from the OS cache where there is one (Linux); 1 when dropped. */
static int drop_cache(int fd)
{
#ifdef POSIX_FADV_DONTNEED
	return posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED) == 0;
#else
	(void)fd;
	return 0;
#endif
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: diskio PATH SIZE_MIB [RANDOM_OPS [SYNC_OPS]]\n");
		return 2;
	}
	const char *path = argv[1];
	uint64_t size = strtoull(argv[2], NULL, 10) << 20;
	long rand_ops = argc > 3 ? atol(argv[3]) : 2000;
	long sync_ops = argc > 4 ? atol(argv[4]) : 200;
	if (size == 0 || rand_ops < 1 || sync_ops < 1 || sync_ops > MAX_SYNCS) {
		fprintf(stderr, "diskio: SIZE_MIB > 0, RANDOM_OPS > 0, 0 < SYNC_OPS <= %d\n", MAX_SYNCS);
		return 2;
	}
	uint64_t blocks = size / BLOCK;
	int fd = open(path, O_RDWR | O_CREAT, 0644);
	if (fd < 0)
		die(path);

	/* Sequential write, ended by fsync. */
	double t0 = now_s();
	for (uint64_t off = 0; off < size; off += CHUNK) {
		fill(buf, CHUNK, off, 0);
		full_pwrite(fd, buf, CHUNK, off);
	}
	if (fsync(fd) != 0)
		die("fsync");
	double seq_write = now_s() - t0;
	int dropped = drop_cache(fd);

	/* Sequential read, every byte checked. */
	t0 = now_s();
	for (uint64_t off = 0; off < size; off += CHUNK) {
		full_pread(fd, buf, CHUNK, off);
		if (check(buf, CHUNK, off, 0))
			return 1;
	}
	double seq_read = now_s() - t0;
	drop_cache(fd);

	/* Random 4 KiB reads. */
	t0 = now_s();
	for (long i = 0; i < rand_ops; i++) {
		uint64_t off = next_block(blocks) * BLOCK;
		full_pread(fd, buf, BLOCK, off);
		if (check(buf, BLOCK, off, 0))
			return 1;
	}
	double rand_read = now_s() - t0;

	/* Random 4 KiB writes (generation 1), ended by one fsync; read back afterwards. */
	uint64_t seed = rng;
	t0 = now_s();
	for (long i = 0; i < rand_ops; i++) {
		uint64_t off = next_block(blocks) * BLOCK;
		fill(buf, BLOCK, off, 1);
		full_pwrite(fd, buf, BLOCK, off);
	}
	if (fsync(fd) != 0)
		die("fsync");
	double rand_write = now_s() - t0;
	rng = seed;
	for (long i = 0; i < rand_ops; i++) {
		uint64_t off = next_block(blocks) * BLOCK;
		full_pread(fd, buf, BLOCK, off);
		if (check(buf, BLOCK, off, 1))
			return 1;
	}

	/* fsync after every 4 KiB write (generation 2, sequential blocks). */
	for (long i = 0; i < sync_ops; i++) {
		uint64_t off = (uint64_t)(i % (long)blocks) * BLOCK;
		fill(buf, BLOCK, off, 2);
		t0 = now_s();
		full_pwrite(fd, buf, BLOCK, off);
		if (fsync(fd) != 0)
			die("fsync");
		sync_us[i] = (uint32_t)((now_s() - t0) * 1e6);
	}
	full_pread(fd, buf, BLOCK, 0);
	if (check(buf, BLOCK, 0, 2))
		return 1;
	qsort(sync_us, (size_t)sync_ops, sizeof(sync_us[0]), cmp_u32);
	if (close(fd) != 0)
		die("close");

	double mb = (double)size / 1e6;
	printf("diskio size_mib=%llu seq_write_mbs=%.1f seq_read_mbs=%.1f rand_read_iops=%.0f "
	       "rand_write_iops=%.0f fsync_p50_us=%u fsync_p99_us=%u cache_dropped=%d verified=ok\n",
	       (unsigned long long)(size >> 20), mb / seq_write, mb / seq_read,
	       (double)rand_ops / rand_read, (double)rand_ops / rand_write,
	       sync_us[sync_ops / 2], sync_us[(sync_ops * 99) / 100], dropped);
	return 0;
}
