/* Guest test: fill /dev/vda to its end; writes past it must be short, then fail with ENOSPC
 * (write, pwrite and stdio's fflush), never panic; the data written must read back. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CHECK(c) do { if (!(c)) { printf("blkfull: FAIL line %d: %s (errno %d)\n", \
	__LINE__, #c, errno); exit(1); } } while (0)
#define CHUNK 60000 /* not a multiple of the sector size: the last write ends mid-sector */

static char pattern(off_t at)
{
	return (char)((at * 7 + at / 4093) & 0xff);
}

static void fill(char *buf, size_t n, off_t at)
{
	for (size_t i = 0; i < n; i++)
		buf[i] = pattern(at + (off_t)i);
}

int main(void)
{
	static char buf[CHUNK], back[CHUNK];
	struct stat st;
	int fd = open("/dev/vda", O_RDWR);

	CHECK(fd >= 0 && fstat(fd, &st) == 0 && st.st_size > 0);
	off_t size = st.st_size, at = 0;
	ssize_t n;
	int writes = 0;
	/* Sequential writes until the disk is full. */
	for (;;) {
		fill(buf, CHUNK, at);
		n = write(fd, buf, CHUNK);
		if (n < 0)
			break;
		CHECK(n == CHUNK || at + n == size); /* only the last one is short */
		at += n;
		writes++;
	}
	CHECK(errno == ENOSPC && at == size);
	printf("blkfull: write: short write at the end, then ENOSPC after %lld bytes, %d writes\n",
	       (long long)at, writes);
	/* Past the end with pwrite; a zero-length write there is fine. */
	errno = 0;
	CHECK(pwrite(fd, buf, 1, size) == -1 && errno == ENOSPC);
	CHECK(pwrite(fd, buf, 512, size + 4096) == -1 && errno == ENOSPC);
	CHECK(pwrite(fd, buf, 0, size) == 0);
	CHECK(pwrite(fd, buf, 100, size - 10) == 10);
	fill(buf, 10, size - 10); /* put the pattern back */
	CHECK(pwrite(fd, buf, 10, size - 10) == 10);
	CHECK(fsync(fd) == 0);
	/* Everything reads back. */
	CHECK(lseek(fd, 0, SEEK_SET) == 0);
	for (off_t r = 0; r < size; r += n) {
		n = read(fd, back, CHUNK);
		CHECK(n > 0);
		fill(buf, (size_t)n, r);
		CHECK(memcmp(buf, back, (size_t)n) == 0);
	}
	CHECK(read(fd, back, 1) == 0);
	close(fd);
	/* stdio: the buffered bytes that do not fit make fflush fail with ENOSPC. */
	FILE *f = fopen("/dev/vda", "r+");
	CHECK(f != NULL && fseek(f, size - 100, SEEK_SET) == 0);
	memset(buf, 'x', 1000);
	errno = 0;
	size_t put = fwrite(buf, 1, 1000, f);
	int flushed = fflush(f);
	CHECK((put < 1000 || flushed == EOF) && ferror(f) && errno == ENOSPC);
	printf("blkfull: pwrite past the end: ENOSPC; stdio: ENOSPC (fwrite put %zu, fflush %d);"
	       " %lld bytes read back\n", put, flushed, (long long)size);
	fclose(f);
	return 0;
}
