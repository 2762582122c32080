/* A reader for cpio "newc" archives (the initrd format); pure code, unit-tested on the host. */
#ifndef SKIFF_SHIM_CPIO_H
#define SKIFF_SHIM_CPIO_H

#include <stddef.h>
#include <stdint.h>

struct cpio_entry {
	const char *name;     /* not NUL-terminated in the archive: use namelen */
	size_t namelen;       /* without the NUL */
	const uint8_t *data;
	size_t size;
	uint32_t mode;        /* st_mode bits: type and permissions */
	uint32_t ino;
	uint32_t mtime;
};

/* Read the entry at *off of buf[0..len) and advance *off past it.
 * Returns 1 for an entry, 0 at the TRAILER!!! entry, -1 when the archive is
 * malformed (bad magic, non-hex field, sizes past the end, empty name). */
int cpio_next(const uint8_t *buf, size_t len, size_t *off, struct cpio_entry *e);

#endif
