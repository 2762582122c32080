// needs: libc-shim/fs/cpio.c
/* Host unit test of the cpio newc reader: entries, padding, trailer, and malformed archives. */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "../../libc-shim/fs/cpio.h"

static size_t put(unsigned char *buf, size_t at, const char *name, unsigned mode,
		  const char *data, size_t size)
{
	size_t namesize = strlen(name) + 1;
	at += (size_t)sprintf((char *)buf + at,
			      "070701%08X%08X%08X%08X%08X%08X%08zX%08X%08X%08X%08X%08zX%08X",
			      7u, mode, 0u, 0u, 1u, 1234u, size, 0u, 0u, 0u, 0u, namesize, 0u);
	memcpy(buf + at, name, namesize);
	at += namesize;
	while (at % 4)
		buf[at++] = 0;
	memcpy(buf + at, data, size);
	at += size;
	while (at % 4)
		buf[at++] = 0;
	return at;
}

int main(void)
{
	static unsigned char buf[4096];
	size_t len = 0, off = 0;
	struct cpio_entry e;

	len = put(buf, len, "index.html", 0100644, "hello", 5);
	len = put(buf, len, "sub", 040755, "", 0);
	len = put(buf, len, "sub/a.txt", 0100600, "abc", 3);
	len = put(buf, len, "TRAILER!!!", 0, "", 0);

	CHECK(cpio_next(buf, len, &off, &e) == 1);
	CHECK(e.namelen == 10 && memcmp(e.name, "index.html", 10) == 0);
	CHECK(e.size == 5 && memcmp(e.data, "hello", 5) == 0 && e.mode == 0100644 && e.mtime == 1234);
	CHECK(cpio_next(buf, len, &off, &e) == 1 && e.mode == 040755 && e.size == 0);
	CHECK(cpio_next(buf, len, &off, &e) == 1 && e.size == 3 && memcmp(e.data, "abc", 3) == 0);
	CHECK(off % 4 == 0);
	CHECK(cpio_next(buf, len, &off, &e) == 0);
	CHECK(off == len);

	/* Truncations anywhere are errors, never reads past the end. */
	for (size_t cut = 1; cut < 200; cut++) {
		size_t o = 0;
		int r;
		while ((r = cpio_next(buf, cut, &o, &e)) == 1)
			CHECK(o <= cut);
		CHECK(r == -1);
	}
	/* Bad magic, bad hex, huge sizes, missing NUL. */
	unsigned char bad[sizeof(buf)];
	memcpy(bad, buf, len);
	bad[0] = 'x';
	off = 0;
	CHECK(cpio_next(bad, len, &off, &e) == -1);
	memcpy(bad, buf, len);
	bad[20] = 'g';
	off = 0;
	CHECK(cpio_next(bad, len, &off, &e) == -1);
	memcpy(bad, buf, len);
	memcpy(bad + 6 + 8 * 6, "FFFFFFFF", 8); /* filesize */
	off = 0;
	CHECK(cpio_next(bad, len, &off, &e) == -1);
	memcpy(bad, buf, len);
	memcpy(bad + 6 + 8 * 11, "00000003", 8); /* namesize: no NUL where expected */
	off = 0;
	CHECK(cpio_next(bad, len, &off, &e) == -1);
	off = len + 4;
	CHECK(cpio_next(buf, len, &off, &e) == -1);
	printf("ok cpio\n");
	return 0;
}
