/* cpio "newc" reader: 110-byte ASCII-hex headers, names and data padded to 4 bytes. */
#include <string.h>

#include "cpio.h"

#define HDR_LEN 110
#define TRAILER "TRAILER!!!"

static int hex8(const uint8_t *p, uint32_t *out)
{
	uint32_t v = 0;

	for (int i = 0; i < 8; i++) {
		uint8_t c = p[i];
		uint32_t d;
		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			return -1;
		v = v << 4 | d;
	}
	*out = v;
	return 0;
}

static size_t pad4(size_t n)
{
	return (n + 3) & ~(size_t)3;
}

int cpio_next(const uint8_t *buf, size_t len, size_t *off, struct cpio_entry *e)
{
	/* Field order after the 6-byte magic: ino mode uid gid nlink mtime
	 * filesize devmajor devminor rdevmajor rdevminor namesize check. */
	uint32_t f[13];
	size_t at = *off;

	if (at > len || len - at < HDR_LEN)
		return -1;
	const uint8_t *h = buf + at;
	if (memcmp(h, "07070", 5) != 0 || (h[5] != '1' && h[5] != '2'))
		return -1;
	for (int i = 0; i < 13; i++)
		if (hex8(h + 6 + 8 * i, &f[i]))
			return -1;
	size_t namesize = f[11], filesize = f[6];
	if (namesize < 2 || namesize > len - at - HDR_LEN)
		return -1;
	const char *name = (const char *)h + HDR_LEN;
	if (name[namesize - 1] != '\0' || memchr(name, '\0', namesize - 1))
		return -1;
	size_t data_at = pad4(at + HDR_LEN + namesize);
	if (data_at > len || filesize > len - data_at)
		return -1;
	e->name = name;
	e->namelen = namesize - 1;
	e->data = buf + data_at;
	e->size = filesize;
	e->mode = f[1];
	e->ino = f[0];
	e->mtime = f[5];
	*off = pad4(data_at + filesize);
	if (e->namelen == sizeof(TRAILER) - 1 && memcmp(name, TRAILER, e->namelen) == 0)
		return 0;
	return 1;
}
