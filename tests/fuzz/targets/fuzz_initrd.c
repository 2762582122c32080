/* Fuzz target: the initrd's index over a cpio archive (libc-shim/fs/initrd_index.c): lookups and listings stay consistent. */
// needs: libc-shim/fs/initrd_index.c libc-shim/fs/cpio.c
//
// Input: the archive. Every entry must be found by its path, every parent
// directory of an entry must resolve, and each directory listing (the root
// and every parent) must give non-empty, distinct names without '/' that
// resolve again.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../../../libc-shim/fs/initrd_index.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *why, const char *path, size_t len)
{
	fprintf(stderr, "initrd invariant broken: %s (\"%.*s\")\n", why, (int)len, path);
	abort();
}

/* List directory dpath[0..dlen) ("" or "a/b/") and check every child. */
static void check_listing(const struct initrd_index *ix, const char *dpath, size_t dlen)
{
	static char path[65536];
	const char *seen[512];
	size_t seen_n[512], nseen = 0, i = 0;
	const char *name;
	size_t n;
	int implied;

	if (dlen)
		i = initrd_lower_bound(ix, dpath, dlen);
	while (initrd_next_child(ix, dpath, dlen, &i, &name, &n)) {
		if (n == 0 || memchr(name, '/', n))
			fail("listed name empty or with a slash", dpath, dlen);
		for (size_t k = 0; k < nseen; k++)
			if (seen_n[k] == n && memcmp(seen[k], name, n) == 0)
				fail("listed twice", name, n);
		if (nseen < 512) {
			seen[nseen] = name;
			seen_n[nseen++] = n;
		}
		if (dlen + n > sizeof(path))
			fail("path too long", name, n);
		memcpy(path, dpath, dlen);
		memcpy(path + dlen, name, n);
		if (!initrd_lookup(ix, path, dlen + n, &implied))
			fail("listed child does not resolve", path, dlen + n);
	}
	if (i > ix->n)
		fail("cursor past the end", dpath, dlen);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct initrd_index ix;
	int implied;

	if (initrd_index_build(&ix, data, size) != 0)
		abort(); /* out of memory on the host: not the archive's fault */
	for (size_t i = 0; i < ix.n; i++) {
		const struct ientry *e = &ix.entries[i];
		const uint8_t *p = (const uint8_t *)e->path;
		if (p < data || p + e->len >= data + size || e->len == 0 || strlen(e->path) != e->len)
			fail("path outside the archive or wrong length", e->path, e->len);
		if (e->path[0] == '/' || !strncmp(e->path, "./", 2) || !strcmp(e->path, "."))
			fail("path not made relative", e->path, e->len);
		if (e->data < data || e->size > (size_t)(data + size - e->data))
			fail("data outside the archive", e->path, e->len);
		if (!(e->mode & S_IFMT))
			fail("no file type", e->path, e->len);
		if (i && strcmp(ix.entries[i - 1].path, e->path) > 0)
			fail("not sorted", e->path, e->len);
		const struct ientry *f = initrd_lookup(&ix, e->path, e->len, &implied);
		if (!f || implied || strcmp(f->path, e->path) != 0)
			fail("entry not found by its path", e->path, e->len);
		for (size_t k = 1; k < e->len; k++) {
			if (e->path[k] != '/')
				continue;
			if (!initrd_lookup(&ix, e->path, k, &implied))
				fail("parent directory does not resolve", e->path, k);
			check_listing(&ix, e->path, k + 1);
		}
	}
	check_listing(&ix, "", 0);
	free(ix.entries);
	return 0;
}
