/* Guest test of /dev/vda: `write SEED` stores patterns at aligned and unaligned offsets and
 * fsyncs; `read SEED` (a later boot, same --disk) checks them. Prints "blkrw: ok". */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CHECK(c) do { if (!(c)) { fprintf(stderr, "blkrw: FAIL %s:%d: %s (errno %d)\n", \
	__FILE__, __LINE__, #c, errno); exit(1); } } while (0)

static const struct { off_t off; size_t len; } spots[] = {
	{ 0, 512 }, { 512 * 7, 4096 }, { 600, 3 }, { 1000, 1500 }, { 65536 - 7, 70000 },
	{ (1 << 20) + 511, 1 }, { (3 << 20) - 1000, 1000 },
};

static void fill(char *buf, size_t len, unsigned seed, size_t spot)
{
	for (size_t i = 0; i < len; i++)
		buf[i] = (char)((i * 31 + seed * 7 + spot * 131) >> 1);
}

int main(int argc, char **argv)
{
	static char want[70000], got[70000];
	struct stat st;

	CHECK(argc == 3);
	int writing = strcmp(argv[1], "write") == 0;
	unsigned seed = (unsigned)atoi(argv[2]);
	int fd = open("/dev/vda", writing ? O_RDWR : O_RDONLY);
	CHECK(fd >= 0);
	CHECK(fstat(fd, &st) == 0 && S_ISBLK(st.st_mode) && st.st_size == (4 << 20));
	CHECK(lseek(fd, 0, SEEK_END) == (4 << 20));
	for (size_t i = 0; i < sizeof(spots) / sizeof(spots[0]); i++) {
		fill(want, spots[i].len, seed, i);
		if (writing)
			CHECK(pwrite(fd, want, spots[i].len, spots[i].off) == (ssize_t)spots[i].len);
		CHECK(pread(fd, got, spots[i].len, spots[i].off) == (ssize_t)spots[i].len);
		CHECK(memcmp(want, got, spots[i].len) == 0);
	}
	if (writing) {
		CHECK(fsync(fd) == 0);
		CHECK(pwrite(fd, "x", 1, 4 << 20) == -1 && errno == ENOSPC);
	}
	CHECK(pread(fd, got, 10, (4 << 20) - 5) == 5);
	CHECK(close(fd) == 0);
	printf("blkrw: ok (%s)\n", argv[1]);
	return 0;
}
