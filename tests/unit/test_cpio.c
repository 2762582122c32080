/* Host unit tests for the initrd's cpio newc reader (libc-shim/fs/cpio.c). */
// needs: libc-shim/fs/cpio.c
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "../../libc-shim/fs/cpio.h"

static unsigned char arch[4096];
static size_t arch_len;

static void put(const char *name, unsigned mode, const char *data, size_t size)
{
	size_t namesize = strlen(name) + 1, at = arch_len;

	at += (size_t)sprintf((char *)arch + at,
			      "070701%08X%08X%08X%08X%08X%08X%08zX%08X%08X%08X%08X%08zX%08X",
			      7u, mode, 0u, 0u, 1u, 1234u, size, 0u, 0u, 0u, 0u, namesize, 0u);
	memcpy(arch + at, name, namesize);
	at += namesize;
	while (at % 4)
		arch[at++] = 0;
	memcpy(arch + at, data, size);
	at += size;
	while (at % 4)
		arch[at++] = 0;
	arch_len = at;
}

static void build(void)
{
	arch_len = 0;
	put("index.html", 0100644, "hello", 5);
	put("sub", 040755, "", 0);
	put("sub/a.txt", 0100600, "abc", 3);
	put("TRAILER!!!", 0, "", 0);
}

TEST(test_entries)
{
	struct cpio_entry e;
	size_t off = 0;

	build();
	CHECK_INT(cpio_next(arch, arch_len, &off, &e), 1);
	CHECK(e.namelen == 10 && memcmp(e.name, "index.html", 10) == 0);
	CHECK(e.size == 5 && memcmp(e.data, "hello", 5) == 0);
	CHECK_INT(e.mode, 0100644);
	CHECK_INT(e.mtime, 1234);
	CHECK_INT(cpio_next(arch, arch_len, &off, &e), 1);
	CHECK_INT(e.mode, 040755);
	CHECK_INT(cpio_next(arch, arch_len, &off, &e), 1);
	CHECK(e.size == 3 && memcmp(e.data, "abc", 3) == 0);
	CHECK_INT(off % 4, 0);
	CHECK_INT(cpio_next(arch, arch_len, &off, &e), 0);
	CHECK_INT(off, arch_len);
}

TEST(test_truncated)
{
	struct cpio_entry e;

	build();
	for (size_t cut = 0; cut < 200; cut++) {
		size_t off = 0;
		int r;
		while ((r = cpio_next(arch, cut, &off, &e)) == 1)
			CHECK(e.data + e.size <= arch + cut);
		CHECK_INT(r, -1);
	}
	size_t off = arch_len + 4;
	CHECK_INT(cpio_next(arch, arch_len, &off, &e), -1);
}

static int first_entry_of(const unsigned char *buf)
{
	struct cpio_entry e;
	size_t off = 0;

	return cpio_next(buf, arch_len, &off, &e);
}

TEST(test_malformed)
{
	static unsigned char bad[sizeof(arch)];

	build();
	memcpy(bad, arch, arch_len);
	bad[0] = 'x';                                   /* magic */
	CHECK_INT(first_entry_of(bad), -1);
	memcpy(bad, arch, arch_len);
	bad[20] = 'g';                                  /* not hex */
	CHECK_INT(first_entry_of(bad), -1);
	memcpy(bad, arch, arch_len);
	memcpy(bad + 6 + 8 * 6, "FFFFFFFF", 8);         /* filesize past the end */
	CHECK_INT(first_entry_of(bad), -1);
	memcpy(bad, arch, arch_len);
	memcpy(bad + 6 + 8 * 11, "00000003", 8);        /* namesize without its NUL */
	CHECK_INT(first_entry_of(bad), -1);
	memcpy(bad, arch, arch_len);
	memcpy(bad + 6 + 8 * 11, "00000001", 8);        /* empty name */
	CHECK_INT(first_entry_of(bad), -1);
}

int main(void)
{
	RUN(test_entries);
	RUN(test_truncated);
	RUN(test_malformed);
	return CHECK_EXIT_STATUS();
}
