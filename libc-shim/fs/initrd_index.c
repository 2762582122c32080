/* The initrd's index over a cpio archive: sorted entries, binary-search lookups, implied directories. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cpio.h"
#include "initrd_index.h"

/* By path, then by position in the archive (names lie in archive order). */
static int by_path(const void *a, const void *b)
{
	const struct ientry *x = a, *y = b;
	int c = strcmp(x->path, y->path);

	return c ? c : (x->path > y->path) - (x->path < y->path);
}

/* Of entries with the same path the archive's last one counts, as when
 * Linux unpacks an initramfs: drop the others from the sorted array. */
static size_t drop_duplicates(struct ientry *e, size_t n)
{
	size_t out = 0;

	for (size_t i = 0; i < n; i++) {
		if (i + 1 < n && strcmp(e[i].path, e[i + 1].path) == 0)
			continue;
		e[out++] = e[i];
	}
	return out;
}

/* A path the VFS can ask for (it resolves "." and ".." and collapses "//"):
 * no empty, "." or ".." component, no trailing slash. */
static int reachable(const char *p)
{
	for (;;) {
		size_t n = strcspn(p, "/");
		if (n == 0 || (n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.'))
			return 0;
		if (!p[n])
			return 1;
		p += n + 1;
	}
}

/* Count, then fill, the entries of the archive; a malformed tail is ignored,
 * and so are names no path reaches ("a//b", "a/../b", "a/"). */
static size_t scan(const uint8_t *buf, size_t len, struct ientry *out)
{
	struct cpio_entry e;
	size_t off = 0, n = 0;

	while (cpio_next(buf, len, &off, &e) == 1) {
		const char *p = e.name;
		while (*p == '/' || (p[0] == '.' && p[1] == '/'))
			p += *p == '/' ? 1 : 2;
		if (!reachable(p))
			continue;
		if (out) {
			mode_t type = e.mode & S_IFMT;
			out[n] = (struct ientry){
				.path = p, .len = strlen(p), .data = e.data, .size = e.size,
				.mode = (type ? type : S_IFREG) | (e.mode & 07777),
				.ino = (ino_t)(n + 2), .mtime = e.mtime,
			};
		}
		n++;
	}
	return n;
}

int initrd_index_build(struct initrd_index *ix, const uint8_t *buf, size_t len)
{
	size_t n = scan(buf, len, NULL);

	ix->n = 0;
	ix->entries = n ? calloc(n, sizeof(*ix->entries)) : NULL;
	if (n && !ix->entries)
		return -1;
	if (n) {
		n = scan(buf, len, ix->entries);
		qsort(ix->entries, n, sizeof(*ix->entries), by_path);
		ix->n = drop_duplicates(ix->entries, n);
	}
	return 0;
}

size_t initrd_lower_bound(const struct initrd_index *ix, const char *key, size_t keylen)
{
	size_t lo = 0, hi = ix->n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (strncmp(ix->entries[mid].path, key, keylen) < 0 ||
		    (strncmp(ix->entries[mid].path, key, keylen) == 0 && ix->entries[mid].len < keylen))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Does entries[i].path start with prefix[0..n)? */
static int starts_with(const struct initrd_index *ix, size_t i, const char *prefix, size_t n)
{
	return i < ix->n && ix->entries[i].len >= n && strncmp(ix->entries[i].path, prefix, n) == 0;
}

const struct ientry *initrd_lookup(const struct initrd_index *ix, const char *path, size_t len,
				   int *implied)
{
	size_t i = initrd_lower_bound(ix, path, len);

	*implied = 0;
	if (i < ix->n && ix->entries[i].len == len && strncmp(ix->entries[i].path, path, len) == 0)
		return &ix->entries[i];
	/* "a/b" implied by "a/b/c": the first such entry sorts after "a/b" and any "a/b-..." */
	for (; i < ix->n && strncmp(ix->entries[i].path, path, len) == 0; i++) {
		if (ix->entries[i].path[len] == '/') {
			*implied = 1;
			return &ix->entries[i];
		}
	}
	return NULL;
}

/* The child of directory dpath (dlen > 0: "a/b/"; 0: the root) that
 * entries[i] names or lies under: 1 with *name and *n set, or 0 when
 * entries[i] is not to be listed (deeper than a child already listed, or
 * shadowed by a mount). */
static int child_at(const struct initrd_index *ix, size_t dlen, size_t i, const char **name,
		    size_t *n)
{
	int implied;
	const char *p = ix->entries[i].path + dlen, *slash = strchr(p, '/');

	*name = p;
	*n = slash ? (size_t)(slash - p) : strlen(p);
	if (!dlen && *n == 3 && (!strncmp(p, "dev", 3) || !strncmp(p, "tmp", 3)))
		return 0;
	if (!slash)
		return 1;
	/* A directory with no entry of its own, implied by a deeper path: list
	 * it once, at its first descendant. */
	size_t plen = dlen + *n + 1;
	if (i > 0 && starts_with(ix, i - 1, ix->entries[i].path, plen))
		return 0;
	return initrd_lookup(ix, ix->entries[i].path, plen - 1, &implied) == &ix->entries[i] &&
	       implied;
}

int initrd_next_child(const struct initrd_index *ix, const char *dpath, size_t dlen, size_t *i,
		      const char **name, size_t *n)
{
	for (; starts_with(ix, *i, dpath, dlen); (*i)++) {
		if (ix->entries[*i].len > dlen && child_at(ix, dlen, *i, name, n)) {
			(*i)++;
			return 1;
		}
	}
	return 0;
}
