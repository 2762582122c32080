/* Guest test of files: `cat PATH` copies a file to stdout (byte-exact); `self` checks the
 * initrd at /, the RAM file system at /tmp, /dev, directories and the fd table; prints "fsself: ok". */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CHECK(c) do { if (!(c)) { fprintf(stderr, "fsself: FAIL %s:%d: %s (errno %d)\n", \
	__FILE__, __LINE__, #c, errno); exit(1); } } while (0)

static int cat(const char *path)
{
	char buf[8192];
	ssize_t n;
	int fd = open(path, O_RDONLY);

	if (fd < 0) {
		perror(path);
		return 1;
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		CHECK(write(1, buf, (size_t)n) == n);
	CHECK(n == 0 && close(fd) == 0);
	return 0;
}

/* Names in directory path, sorted, joined by spaces (without . and ..). */
static char *listing(const char *path)
{
	static char out[1024];
	char names[32][64];
	int n = 0;
	DIR *d = opendir(path);
	struct dirent *de;

	CHECK(d != NULL);
	while ((de = readdir(d)) && n < 32)
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			snprintf(names[n++], sizeof(names[0]), "%s%s", de->d_name,
				 de->d_type == DT_DIR ? "/" : "");
	CHECK(closedir(d) == 0);
	qsort(names, (size_t)n, sizeof(names[0]), (int (*)(const void *, const void *))strcmp);
	out[0] = 0;
	for (int i = 0; i < n; i++)
		snprintf(out + strlen(out), sizeof(out) - strlen(out), "%s%s", i ? " " : "", names[i]);
	return out;
}

static void initrd_checks(void)
{
	struct stat st;
	char buf[64];

	CHECK(stat("/", &st) == 0 && S_ISDIR(st.st_mode));
	CHECK(stat("/hello.txt", &st) == 0 && S_ISREG(st.st_mode) && st.st_size == 12);
	CHECK(stat("/sub/deep", &st) == 0 && S_ISDIR(st.st_mode));
	CHECK(stat("/nope", &st) == -1 && errno == ENOENT);
	CHECK(strcmp(listing("/"), "dev/ hello.txt sub/ tmp/") == 0);
	CHECK(strcmp(listing("/sub"), "blob.bin deep/ two.txt") == 0);
	CHECK(strcmp(listing("/sub/deep/"), "three.txt") == 0);
	int fd = open("/sub/../hello.txt", O_RDONLY);
	CHECK(fd >= 3 && read(fd, buf, sizeof(buf)) == 12 && memcmp(buf, "hello world\n", 12) == 0);
	CHECK(lseek(fd, 6, SEEK_SET) == 6 && read(fd, buf, 5) == 5 && memcmp(buf, "world", 5) == 0);
	CHECK(pread(fd, buf, 5, 0) == 5 && memcmp(buf, "hello", 5) == 0);
	CHECK(lseek(fd, 0, SEEK_END) == 12 && read(fd, buf, 1) == 0);
	CHECK(write(fd, "x", 1) == -1 && errno == EBADF);
	CHECK(close(fd) == 0);
	CHECK(open("/hello.txt", O_WRONLY) == -1 && errno == EROFS);
	CHECK(open("/new.txt", O_WRONLY | O_CREAT, 0644) == -1 && errno == EROFS);
	CHECK(open("/hello.txt/x", O_RDONLY) == -1);
	CHECK(mkdir("/sub/x", 0755) == -1 && errno == EROFS);
	CHECK(unlink("/hello.txt") == -1 && errno == EROFS);
	FILE *f = fopen("/sub/deep/three.txt", "r");
	CHECK(f && fgets(buf, sizeof(buf), f) && strcmp(buf, "3\n") == 0 && fclose(f) == 0);
}

static void tmp_checks(void)
{
	struct stat st;
	char buf[256];

	CHECK(mkdir("/tmp/d", 0755) == 0);
	CHECK(mkdir("/tmp/d", 0755) == -1 && errno == EEXIST);
	int fd = open("/tmp/d/a", O_RDWR | O_CREAT | O_EXCL, 0644);
	CHECK(fd >= 0);
	CHECK(open("/tmp/d/a", O_RDWR | O_CREAT | O_EXCL, 0644) == -1 && errno == EEXIST);
	CHECK(write(fd, "0123456789", 10) == 10);
	CHECK(pwrite(fd, "AB", 2, 20) == 2); /* a hole of zeros */
	CHECK(fstat(fd, &st) == 0 && st.st_size == 22);
	CHECK(pread(fd, buf, 22, 0) == 22 && buf[15] == 0 && memcmp(buf + 20, "AB", 2) == 0);
	CHECK(ftruncate(fd, 5) == 0 && lseek(fd, 0, SEEK_END) == 5);
	CHECK(close(fd) == 0);
	fd = open("/tmp/d/a", O_WRONLY | O_APPEND);
	CHECK(fd >= 0 && write(fd, "xy", 2) == 2 && close(fd) == 0);
	fd = open("/tmp/d/a", O_RDONLY);
	CHECK(read(fd, buf, sizeof(buf)) == 7 && memcmp(buf, "01234xy", 7) == 0);
	CHECK(unlink("/tmp/d/a") == 0 && stat("/tmp/d/a", &st) == -1 && errno == ENOENT);
	CHECK(pread(fd, buf, 3, 0) == 3 && memcmp(buf, "012", 3) == 0); /* still open */
	CHECK(close(fd) == 0);
	CHECK(rmdir("/tmp") == -1);
	FILE *f = fopen("/tmp/d/b.txt", "w");
	CHECK(f && fprintf(f, "line %d\n", 42) == 8 && fclose(f) == 0);
	CHECK(rename("/tmp/d/b.txt", "/tmp/c.txt") == 0);
	CHECK(rename("/tmp/c.txt", "/hello.txt") == -1 && errno == EXDEV);
	CHECK(strcmp(listing("/tmp"), "c.txt d/") == 0);
	CHECK(rmdir("/tmp/d") == 0 && rmdir("/tmp/d") == -1 && errno == ENOENT);
	CHECK(chdir("/tmp") == 0 && getcwd(buf, sizeof(buf)) && strcmp(buf, "/tmp") == 0);
	f = fopen("c.txt", "r");
	CHECK(f && fgets(buf, sizeof(buf), f) && strcmp(buf, "line 42\n") == 0 && fclose(f) == 0);
	CHECK(chdir("/nope") == -1 && errno == ENOENT);
	CHECK(chdir("..") == 0 && getcwd(buf, sizeof(buf)) && strcmp(buf, "/") == 0);
	/* A file of 1 MiB, written in odd-sized pieces. */
	static char piece[777];
	fd = open("/tmp/big", O_RDWR | O_CREAT | O_TRUNC, 0600);
	for (int i = 0; i < (1 << 20); i += 777) {
		for (int k = 0; k < 777; k++)
			piece[k] = (char)(i + k);
		int n = (1 << 20) - i < 777 ? (1 << 20) - i : 777;
		CHECK(write(fd, piece, (size_t)n) == n);
	}
	CHECK(fstat(fd, &st) == 0 && st.st_size == (1 << 20));
	CHECK(pread(fd, buf, 4, 777 * 1000 + 5) == 4 && buf[0] == (char)(777 * 1000 + 5));
	CHECK(close(fd) == 0 && unlink("/tmp/big") == 0);
}

static void dev_and_fd_checks(void)
{
	char buf[64];
	int fd = open("/dev/null", O_RDWR);

	CHECK(fd >= 0 && write(fd, "x", 1) == 1 && read(fd, buf, 1) == 0 && close(fd) == 0);
	fd = open("/dev/zero", O_RDONLY);
	memset(buf, 1, sizeof(buf));
	CHECK(read(fd, buf, 8) == 8 && buf[0] == 0 && buf[7] == 0 && close(fd) == 0);
	fd = open("/dev/urandom", O_RDONLY);
	CHECK(read(fd, buf, sizeof(buf)) == (ssize_t)sizeof(buf) && close(fd) == 0);
	CHECK(strncmp(listing("/dev"), "irqstats memstats null random urandom zero", 42) == 0);
	/* stdout into a file and back */
	int saved = dup(1);
	fd = open("/tmp/out.txt", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	CHECK(saved >= 0 && fd >= 0 && dup2(fd, 1) == 1 && close(fd) == 0);
	CHECK(write(1, "captured", 8) == 8);
	CHECK(dup2(saved, 1) == 1 && close(saved) == 0);
	fd = open("/tmp/out.txt", O_RDONLY);
	CHECK(read(fd, buf, sizeof(buf)) == 8 && memcmp(buf, "captured", 8) == 0 && close(fd) == 0);
	CHECK(isatty(1) == 0 && isatty(fd) == 0); /* the test's stdout is a pipe, not a terminal */
	CHECK(fcntl(0, F_GETFL) == O_RDONLY && read(0, buf, 1) == 0);
	/* many files open at once */
	static int fds[300];
	for (int i = 0; i < 300; i++)
		CHECK((fds[i] = open("/hello.txt", O_RDONLY)) >= 0);
	CHECK(fds[299] >= 299);
	for (int i = 0; i < 300; i++)
		CHECK(close(fds[i]) == 0);
	CHECK(close(fds[0]) == -1 && errno == EBADF);
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "cat") == 0)
		return cat(argv[2]);
	initrd_checks();
	tmp_checks();
	dev_and_fd_checks();
	printf("fsself: ok\n");
	return 0;
}
