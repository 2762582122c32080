/* Symbolic links on the initrd: readlink, lstat, and following them in open, stat, opendir, chdir. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int failures;

#define CHECK(cond, ...) do { if (!(cond)) { failures++; printf("FAIL %d: ", __LINE__); \
	printf(__VA_ARGS__); printf(" (errno %d)\n", errno); } } while (0)

static const char *content(const char *path)
{
	static char buf[64];
	int fd = open(path, O_RDONLY);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);

	if (fd >= 0)
		close(fd);
	buf[n < 0 ? 0 : n] = '\0';
	return n < 0 ? "(error)" : buf;
}

static void check_link(const char *path, const char *target)
{
	char buf[64];
	struct stat st;
	ssize_t n = readlink(path, buf, sizeof(buf));

	CHECK(n == (ssize_t)strlen(target) && memcmp(buf, target, n) == 0, "readlink %s", path);
	CHECK(lstat(path, &st) == 0 && S_ISLNK(st.st_mode) && st.st_size == (off_t)strlen(target),
	      "lstat %s", path);
}

int main(void)
{
	struct stat st;
	char buf[64];

	check_link("/abs", "/etc/hostname");
	check_link("rel", "data/real.txt");
	check_link("/data/up", "../etc/hostname");
	check_link("/dirlink", "data");
	check_link("/outside", "../../nowhere"); /* past the root: stays at / */
	/* readlink truncates without a NUL */
	CHECK(readlink("/abs", buf, 4) == 4 && memcmp(buf, "/etc", 4) == 0, "readlink short");
	CHECK(readlink("/etc/hostname", buf, sizeof(buf)) == -1 && errno == EINVAL, "readlink file");
	CHECK(readlink("/nothing", buf, sizeof(buf)) == -1 && errno == ENOENT, "readlink missing");

	/* absolute targets resolve in the guest: the initrd's /etc/hostname */
	CHECK(strcmp(content("/abs"), "from the initrd\n") == 0, "abs reads %s", content("/abs"));
	CHECK(strcmp(content("/chain"), "from the initrd\n") == 0, "chain");
	CHECK(strcmp(content("/rel"), "real\n") == 0, "rel");
	CHECK(strcmp(content("/data/up"), "from the initrd\n") == 0, "data/up");
	CHECK(strcmp(content("/dirlink/real.txt"), "real\n") == 0, "dirlink/real.txt");
	CHECK(strcmp(content("/dirlink/up"), "from the initrd\n") == 0, "dirlink/up");
	CHECK(stat("/abs", &st) == 0 && S_ISREG(st.st_mode) && st.st_size == 16, "stat abs");
	CHECK(stat("/dirlink", &st) == 0 && S_ISDIR(st.st_mode), "stat dirlink");
	CHECK(stat("/dirlink/", &st) == 0 && S_ISDIR(st.st_mode), "stat dirlink/");
	CHECK(lstat("/dirlink/", &st) == 0 && S_ISDIR(st.st_mode), "lstat dirlink/ follows");

	/* loops, dangling links, O_NOFOLLOW, read-only links */
	CHECK(open("/loop1", O_RDONLY) == -1 && errno == ELOOP, "loop");
	CHECK(stat("/loop2/x", &st) == -1 && errno == ELOOP, "loop inside");
	CHECK(stat("/dangling", &st) == -1 && errno == ENOENT, "dangling stat");
	CHECK(lstat("/dangling", &st) == 0 && S_ISLNK(st.st_mode), "dangling lstat");
	CHECK(stat("/outside", &st) == -1 && errno == ENOENT, "outside stat");
	CHECK(open("/abs", O_RDONLY | O_NOFOLLOW) == -1 && errno == ELOOP, "O_NOFOLLOW");
	CHECK(unlink("/abs") == -1 && errno == EROFS, "unlink link");

	/* a link out of the initrd into /tmp */
	int fd = open("/tmp/made", O_WRONLY | O_CREAT, 0644);
	CHECK(fd >= 0 && write(fd, "tmp\n", 4) == 4 && close(fd) == 0, "make /tmp/made");
	CHECK(strcmp(content("/totmp"), "tmp\n") == 0, "totmp");

	/* directories through a link */
	DIR *d = opendir("/dirlink");
	int seen = 0;
	struct dirent *de;
	while (d && (de = readdir(d)))
		seen |= (strcmp(de->d_name, "real.txt") == 0) | (strcmp(de->d_name, "up") == 0) << 1;
	CHECK(d && seen == 3, "opendir dirlink saw %d", seen);
	if (d)
		closedir(d);
	d = opendir("/");
	int lnk = 0;
	while (d && (de = readdir(d)))
		if (strcmp(de->d_name, "abs") == 0)
			lnk = de->d_type == DT_LNK;
	CHECK(lnk, "readdir / abs is DT_LNK");
	if (d)
		closedir(d);
	CHECK(chdir("/dirlink") == 0 && getcwd(buf, sizeof(buf)) && strcmp(buf, "/data") == 0,
	      "chdir dirlink -> %s", buf);
	CHECK(strcmp(content("up"), "from the initrd\n") == 0, "relative after chdir");

	if (failures)
		return 1;
	printf("initrd_symlinks ok\n");
	return 0;
}
