/* The initrd's index: archive entries sorted by path, lookups, directory children; pure code, fuzzed on the host. */
#ifndef SKIFF_SHIM_INITRD_INDEX_H
#define SKIFF_SHIM_INITRD_INDEX_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct ientry {
	const char *path;  /* NUL-terminated, inside the archive, no leading "./" */
	size_t len;
	const uint8_t *data;
	size_t size;
	mode_t mode;
	ino_t ino;
	time_t mtime;
};

struct initrd_index {
	struct ientry *entries; /* sorted by path */
	size_t n;
};

/* Index the cpio archive buf[0..len) (a malformed tail is ignored; of
 * entries with the same path the last counts). 0, or -1 when out of memory
 * (the index is then empty). */
int initrd_index_build(struct initrd_index *ix, const uint8_t *buf, size_t len);

/* First entry whose path is >= key[0..keylen). */
size_t initrd_lower_bound(const struct initrd_index *ix, const char *key, size_t keylen);

/* The entry for path[0..len) (no NUL inside), or NULL. *implied is set for a
 * directory that only exists as the parent of other entries (the entry
 * returned is then its first descendant). */
const struct ientry *initrd_lookup(const struct initrd_index *ix, const char *path, size_t len,
				   int *implied);

/* The next child of directory dpath[0..dlen) ("a/b/" with its slash, or ""
 * for the root) named by entries[*i] or a later entry: 1 with *name[0..*n)
 * set (followed by '/' for an implied directory) and *i just past that
 * entry, or 0 with *i past the directory's entries. */
int initrd_next_child(const struct initrd_index *ix, const char *dpath, size_t dlen, size_t *i,
		      const char **name, size_t *n);

#endif
