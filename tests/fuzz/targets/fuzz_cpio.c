/* Fuzz target: the initrd's cpio "newc" reader (libc-shim/fs/cpio.c); every entry must lie inside the archive. */
// needs: libc-shim/fs/cpio.c
//
// Input: the archive itself, walked as initrd.c walks it (until the trailer
// or the first malformed entry).
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../../libc-shim/fs/cpio.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static volatile unsigned sink; /* keeps the reads of every data byte */

static void fail(const char *why, size_t off)
{
	fprintf(stderr, "cpio invariant broken: %s (entry at offset %zu)\n", why, off);
	abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cpio_entry e;
	size_t off = 0;
	int r;
	unsigned sum = 0;

	for (;;) {
		size_t at = off;
		memset(&e, 0xa5, sizeof(e));
		r = cpio_next(data, size, &off, &e);
		if (r < 0) {
			if (off != at)
				fail("a malformed entry moved the offset", at);
			break;
		}
		if (r > 1)
			fail("unknown return value", at);
		/* header, then the name and its NUL, then the data: in order, inside */
		const uint8_t *name = (const uint8_t *)e.name;
		if (name != data + at + 110)
			fail("name not right after the header", at);
		if (e.namelen == 0 || e.namelen + 1 > size - (at + 110))
			fail("name past the end", at);
		if (name[e.namelen] != '\0' || memchr(name, '\0', e.namelen))
			fail("name not NUL-terminated exactly at namelen", at);
		if (e.data < name + e.namelen + 1 || (size_t)(e.data - data) % 4 != 0)
			fail("data overlaps the name or is not 4-aligned", at);
		if (e.data > data + size || e.size > (size_t)(data + size - e.data))
			fail("data past the end", at);
		if (off <= at || off != ((size_t)(e.data - data) + e.size + 3) / 4 * 4)
			fail("offset not just past the padded data", at);
		for (size_t i = 0; i < e.size; i++) /* every byte readable (ASan) */
			sum += e.data[i];
		if (r == 0) {
			if (e.namelen != 10 || memcmp(name, "TRAILER!!!", 10) != 0)
				fail("end without the trailer", at);
			break;
		}
	}
	sink = sum;
	return 0;
}
