/* The POSIX file calls on a directory (argv[2]): run natively on the host in a temp dir and in skiff on a volume, the outputs must match (tests/cli/test_volumes.py). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <unistd.h>

static const char *dir;

static const char *en(int e)
{
	switch (e) {
	case 0: return "ok";
	case ENOENT: return "ENOENT";
	case EEXIST: return "EEXIST";
	case ENOTDIR: return "ENOTDIR";
	case EISDIR: return "EISDIR";
	case ELOOP: return "ELOOP";
	case ENOTEMPTY: return "ENOTEMPTY";
	case EROFS: return "EROFS";
	case ENOSPC: return "ENOSPC";
	case EBADF: return "EBADF";
	case EINVAL: return "EINVAL";
	case EACCES: return "EACCES";
	case EXDEV: return "EXDEV";
	case EPERM: return "EPERM";
	default: return "other";
	}
}

/* Print what a call returned: "name: ok" or "name: ERRNO". */
#define R(name, call) do { errno = 0; long r_ = (long)(call); \
	printf("%s: %s\n", name, r_ < 0 ? en(errno) : "ok"); } while (0)

static char *P(const char *name)
{
	static char bufs[4][1024];
	static int i;
	char *b = bufs[i++ % 4];
	snprintf(b, 1024, "%s/%s", dir, name);
	return b;
}

static void put(const char *name, const char *text)
{
	int fd = open(P(name), O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text) || close(fd)) {
		printf("put %s failed: %s\n", name, en(errno));
		exit(1);
	}
}

static void show(const char *name)
{
	char buf[256];
	int fd = open(P(name), O_RDONLY);
	if (fd < 0) {
		printf("%s: open %s\n", name, en(errno));
		return;
	}
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n < 0 ? 0 : n] = 0;
	printf("%s: [%s]\n", name, buf);
}

static void files(void)
{
	int fd = open(P("a"), O_RDWR | O_CREAT | O_EXCL, 0644);
	printf("create excl: %s\n", fd >= 0 ? "ok" : en(errno));
	R("create excl again", open(P("a"), O_RDWR | O_CREAT | O_EXCL, 0644));
	R("write", write(fd, "hello world", 11));
	R("pwrite", pwrite(fd, "WORLD", 5, 6));
	char buf[64] = { 0 };
	ssize_t got = pread(fd, buf, 5, 6);
	printf("pread: %zd [%s]\n", got, buf);
	printf("lseek end: %ld\n", (long)lseek(fd, 0, SEEK_END));
	printf("lseek set: %ld\n", (long)lseek(fd, 2, SEEK_SET));
	memset(buf, 0, sizeof(buf));
	got = read(fd, buf, sizeof(buf) - 1);
	printf("read: %zd [%s]\n", got, buf);
	struct iovec iov[2] = { { "<<", 2 }, { ">>", 2 } };
	printf("writev: %zd\n", writev(fd, iov, 2));
	char b1[3] = { 0 }, b2[5] = { 0 };
	struct iovec riov[2] = { { b1, 2 }, { b2, 4 } };
	lseek(fd, 0, SEEK_SET);
	got = readv(fd, riov, 2);
	printf("readv: %zd [%s][%s]\n", got, b1, b2);
	struct stat st;
	R("fstat", fstat(fd, &st));
	printf("fstat: size %ld reg %d mode %o nlink %ld\n", (long)st.st_size, S_ISREG(st.st_mode),
	       (unsigned)(st.st_mode & 0777), (long)st.st_nlink);
	R("ftruncate grow", ftruncate(fd, 100));
	memset(buf, 'x', sizeof(buf));
	got = pread(fd, buf, 10, 50);
	printf("pread hole: %zd %d %d\n", got, buf[0], buf[9]);
	R("ftruncate shrink", ftruncate(fd, 5));
	R("fsync", fsync(fd));
	R("fdatasync", fdatasync(fd));
	R("close", close(fd));
	show("a");

	fd = open(P("a"), O_WRONLY | O_APPEND);
	R("append write", write(fd, "+1", 2));
	lseek(fd, 0, SEEK_SET);
	R("append write after seek", write(fd, "+2", 2));
	close(fd);
	show("a");
	fd = open(P("a"), O_WRONLY | O_TRUNC);
	R("trunc open", fd);
	close(fd);
	R("stat", stat(P("a"), &st));
	printf("size after O_TRUNC: %ld\n", (long)st.st_size);
	R("open missing", open(P("missing"), O_RDONLY));
	R("O_DIRECTORY on file", open(P("a"), O_RDONLY | O_DIRECTORY));
	fd = open(dir, O_RDONLY | O_DIRECTORY);
	R("O_DIRECTORY on dir", fd);
	close(fd);
	R("open dir for writing", open(dir, O_WRONLY));
}

/* One write and one read of 1 MiB + 5: more than a 9P message holds (split at msize). */
static void big_io(void)
{
	size_t n = (1u << 20) + 5;
	unsigned char *w = malloc(n), *r = malloc(n + 100);
	for (size_t i = 0; i < n; i++)
		w[i] = (unsigned char)(i * 7 + i / 4096);
	int fd = open(P("big.bin"), O_RDWR | O_CREAT | O_TRUNC, 0644);
	printf("big write: %zd\n", write(fd, w, n));
	ssize_t got = pread(fd, r, n + 100, 0);
	printf("big pread: %zd same %d\n", got, got == (ssize_t)n && !memcmp(w, r, n));
	got = pread(fd, r, 4096, (off_t)n - 10);
	printf("pread across the end: %zd\n", got);
	got = pread(fd, r, 10, (off_t)n + 10);
	printf("pread past the end: %zd\n", got);
	close(fd);
	R("unlink big.bin", unlink(P("big.bin")));
	free(w);
	free(r);
}

static void names(void)
{
	struct stat st;
	put("from", "new contents");
	put("to", "old contents");
	R("rename over", rename(P("from"), P("to")));
	show("to");
	R("stat old name", stat(P("from"), &st));
	R("mkdir", mkdir(P("d"), 0755));
	R("mkdir again", mkdir(P("d"), 0755));
	put("d/f", "in d");
	R("rename into dir", rename(P("to"), P("d/moved")));
	show("d/moved");
	R("rmdir non-empty", rmdir(P("d")));
	R("unlink", unlink(P("d/f")));
	R("unlink again", unlink(P("d/f")));
	R("unlink dir", unlink(P("d")));
	R("unlink moved", unlink(P("d/moved")));
	R("rmdir", rmdir(P("d")));
	R("stat dir gone", stat(P("d"), &st));
	R("rmdir file", rmdir(P("a")));

	R("symlink", symlink("a", P("ln")));
	char t[64] = { 0 };
	ssize_t tn = readlink(P("ln"), t, sizeof(t));
	printf("readlink: %zd [%s]\n", tn, t);
	R("readlink on file", readlink(P("a"), t, sizeof(t)));
	R("lstat", lstat(P("ln"), &st));
	printf("lstat: link %d\n", S_ISLNK(st.st_mode));
	R("stat through link", stat(P("ln"), &st));
	printf("stat: reg %d\n", S_ISREG(st.st_mode));
	R("O_NOFOLLOW on link", open(P("ln"), O_RDONLY | O_NOFOLLOW));
	int fd = open(P("ln"), O_RDONLY);
	R("open through link", fd);
	close(fd);
	R("symlink dangling", symlink("nowhere", P("dangle")));
	R("stat dangling", stat(P("dangle"), &st));
	R("lstat dangling", lstat(P("dangle"), &st));
	fd = open(P("dangle"), O_WRONLY | O_CREAT, 0644); /* creates nowhere */
	R("create through dangling", fd);
	close(fd);
	R("stat nowhere", stat(P("nowhere"), &st));

	/* links in the middle of a path, chained, and relative to their own directory */
	R("mkdir sub2", mkdir(P("sub2"), 0755));
	put("sub2/f", "through a directory link");
	R("symlink to dir", symlink("sub2", P("dlink")));
	R("symlink to .", symlink(".", P("self")));
	R("symlink up", symlink("../sub2", P("sub2/up")));
	show("dlink/f");
	show("self/self/dlink/f");
	show("dlink/up/up/f");
	show("dlink/../a");
	R("stat dlink/missing", stat(P("dlink/missing"), &st));
	unlink(P("sub2/up"));
	unlink(P("sub2/f"));
	R("rmdir through link", rmdir(P("dlink")));
	unlink(P("dlink"));
	unlink(P("self"));
	R("rmdir sub2", rmdir(P("sub2")));
	put("h1", "shared");
	R("link", link(P("h1"), P("h2")));
	R("stat h2", stat(P("h2"), &st));
	printf("nlink: %ld\n", (long)st.st_nlink);
	R("link exists", link(P("h1"), P("h2")));
	unlink(P("h1"));
	show("h2");

	R("chmod", chmod(P("h2"), 0600));
	stat(P("h2"), &st);
	printf("mode: %o\n", (unsigned)(st.st_mode & 07777));
	struct timeval tv[2] = { { 1000000000, 0 }, { 1234567890, 0 } };
	R("utimes", utimes(P("h2"), tv));
	stat(P("h2"), &st);
	printf("mtime: %ld\n", (long)st.st_mtime);
	R("access R_OK", access(P("h2"), R_OK));
	R("access missing", access(P("missing"), F_OK));
	R("fstatat", fstatat(AT_FDCWD, P("h2"), &st, 0));
	int dfd = open(dir, O_RDONLY | O_DIRECTORY);
	R("fstatat dirfd", fstatat(dfd, "ln", &st, AT_SYMLINK_NOFOLLOW));
	printf("fstatat nofollow: link %d\n", S_ISLNK(st.st_mode));
	close(dfd);
	struct statvfs sv;
	R("statvfs", statvfs(dir, &sv));
	printf("statvfs sane: %d\n", sv.f_bsize > 0 && sv.f_blocks > 0 && sv.f_bavail <= sv.f_blocks);
}

static void cwd(void)
{
	char here[1024], back[1024];
	R("chdir", chdir(dir));
	put("rel", "x");
	int fd = open("rel", O_RDONLY);
	R("open relative", fd);
	close(fd);
	R("mkdir relative", mkdir("sub", 0755));
	R("chdir sub", chdir("sub"));
	printf("getcwd in sub: %d\n", getcwd(here, sizeof(here)) && strcmp(here + strlen(here) - 4, "/sub") == 0);
	fd = open("../rel", O_RDONLY);
	R("open ../rel", fd);
	close(fd);
	R("chdir ..", chdir(".."));
	printf("getcwd back: %d\n", getcwd(back, sizeof(back)) && strlen(back) + 4 == strlen(here));
	R("rmdir relative", rmdir("sub"));
	R("chdir /", chdir("/"));
}

static int cmpstr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void bigdir(void)
{
	enum { N = 2000 };
	R("mkdir big", mkdir(P("big"), 0755));
	for (int i = 0; i < N; i++) {
		char n[64];
		snprintf(n, sizeof(n), "big/file-%04d", i);
		int fd = open(P(n), O_WRONLY | O_CREAT | O_EXCL, 0644);
		if (fd < 0) {
			printf("create %s: %s\n", n, en(errno));
			return;
		}
		close(fd);
	}
	DIR *d = opendir(P("big"));
	struct dirent *de;
	char **seen = malloc(sizeof(char *) * (N + 2));
	int count = 0, dots = 0;
	while (d && (de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..")) {
			dots++;
			continue;
		}
		if (count < N + 2)
			seen[count] = strdup(de->d_name);
		count++;
	}
	if (d)
		closedir(d);
	int ok = count == N;
	if (ok) {
		qsort(seen, N, sizeof(char *), cmpstr);
		for (int i = 0; i < N && ok; i++) {
			char n[32];
			snprintf(n, sizeof(n), "file-%04d", i);
			ok = !strcmp(seen[i], n);
		}
	}
	printf("readdir big: %d entries, %d dots, all names %s\n", count, dots, ok ? "ok" : "WRONG");
	for (int i = 0; i < N; i++) {
		char n[64];
		snprintf(n, sizeof(n), "big/file-%04d", i);
		if (unlink(P(n)))
			printf("unlink %s: %s\n", n, en(errno));
	}
	R("rmdir big", rmdir(P("big")));
}

static void locks_and_mmap(void)
{
	put("m", "mapped file contents\n");
	int fd = open(P("m"), O_RDWR);
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 10 };
	R("F_SETLK", fcntl(fd, F_SETLK, &fl));
	struct flock q = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 10 };
	R("F_GETLK", fcntl(fd, F_GETLK, &q));
	printf("F_GETLK own lock: %s\n", q.l_type == F_UNLCK ? "unlocked" : "locked");
	fl.l_type = F_UNLCK;
	R("F_SETLK unlock", fcntl(fd, F_SETLK, &fl));
	struct flock end = { .l_type = F_RDLCK, .l_whence = SEEK_END, .l_start = -4, .l_len = 0 };
	R("F_SETLKW from the end", fcntl(fd, F_SETLKW, &end));
	struct flock bad = { .l_type = 7, .l_whence = SEEK_SET };
	R("F_SETLK bad type", fcntl(fd, F_SETLK, &bad));
	int rfd = open(P("m"), O_RDONLY);
	struct flock wr = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
	R("F_SETLK write lock on read-only fd", fcntl(rfd, F_SETLK, &wr));
	close(rfd);
	char *p = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0);
	printf("mmap private: %s\n", p == MAP_FAILED ? en(errno) : "ok");
	if (p != MAP_FAILED) {
		printf("mapped: [%.20s] tail zero %d\n", p, p[4095] == 0);
		R("munmap", munmap(p, 4096));
	}
	close(fd);
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: volume_guest posix|ro|enospc|put|escape DIR [ARGS]\n");
		return 2;
	}
	dir = argv[2];
	setvbuf(stdout, NULL, _IOLBF, 0);
	umask(022);
	if (!strcmp(argv[1], "posix")) {
		files();
		big_io();
		names();
		cwd();
		bigdir();
		locks_and_mmap();
	} else if (!strcmp(argv[1], "ro")) {
		struct stat st;
		struct statvfs sv;
		show("ro.txt");
		R("open for writing", open(P("ro.txt"), O_WRONLY));
		R("create", open(P("new"), O_WRONLY | O_CREAT, 0644));
		R("mkdir", mkdir(P("newdir"), 0755));
		R("unlink", unlink(P("ro.txt")));
		R("rename", rename(P("ro.txt"), P("ro2")));
		R("stat", stat(P("ro.txt"), &st));
		R("access W_OK", access(P("ro.txt"), W_OK));
		R("access R_OK", access(P("ro.txt"), R_OK));
		R("statvfs", statvfs(dir, &sv));
		printf("ST_RDONLY: %d\n", (sv.f_flag & ST_RDONLY) != 0);
	} else if (!strcmp(argv[1], "enospc")) {
		static char chunk[65536];
		memset(chunk, 'z', sizeof(chunk));
		int fd = open(P("fill"), O_WRONLY | O_CREAT | O_TRUNC, 0644);
		long total = 0;
		ssize_t n;
		while ((n = write(fd, chunk, sizeof(chunk))) > 0 && total < (64L << 20))
			total += n;
		printf("write stopped: %s after %s\n", n < 0 ? en(errno) : "no error",
		       total > 0 ? "some bytes" : "nothing");
		R("fsync", fsync(fd));
		R("close", close(fd));
		R("unlink", unlink(P("fill")));
	} else if (!strcmp(argv[1], "put")) {
		/* argv[3...]: PATH=TEXT, each written to a new file */
		for (int i = 3; i < argc; i++) {
			char *eq = strchr(argv[i], '=');
			if (!eq)
				continue;
			*eq = 0;
			int fd = open(argv[i], O_WRONLY | O_CREAT | O_TRUNC, 0644);
			ssize_t n = fd >= 0 ? write(fd, eq + 1, strlen(eq + 1)) : -1;
			printf("put %s: %s\n", argv[i], n < 0 ? en(errno) : "ok");
			if (fd >= 0)
				close(fd);
		}
	} else if (!strcmp(argv[1], "escape")) {
		/* argv[3...]: paths to try; none may show the host's secret */
		for (int i = 3; i < argc; i++) {
			char buf[256] = { 0 };
			int fd = open(argv[i], O_RDONLY);
			ssize_t n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;
			printf("%s: %s%s\n", argv[i], fd < 0 ? en(errno) : "opened",
			       n > 0 && strstr(buf, "SECRET") ? " HOST SECRET" : "");
			if (fd >= 0)
				close(fd);
		}
	}
	printf("done\n");
	return 0;
}
