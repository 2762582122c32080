/* 9P2000.L message marshalling: little-endian fields, length-prefixed strings, reply checks (pure code). */
#include "p9.h"

#include <string.h>

void p9_begin(struct p9_out *o, unsigned char *buf, size_t cap, uint8_t type, uint16_t tag)
{
	o->buf = buf;
	o->cap = cap;
	o->len = 4; /* size, written by p9_end */
	o->err = cap < P9_HDR;
	p9_u8(o, type);
	p9_u16(o, tag);
}

static void put(struct p9_out *o, uint64_t v, size_t n)
{
	if (o->err || o->cap - o->len < n) {
		o->err = 1;
		return;
	}
	for (size_t i = 0; i < n; i++)
		o->buf[o->len++] = (unsigned char)(v >> (8 * i));
}

void p9_u8(struct p9_out *o, uint8_t v) { put(o, v, 1); }
void p9_u16(struct p9_out *o, uint16_t v) { put(o, v, 2); }
void p9_u32(struct p9_out *o, uint32_t v) { put(o, v, 4); }
void p9_u64(struct p9_out *o, uint64_t v) { put(o, v, 8); }

void p9_str(struct p9_out *o, const char *s, size_t n)
{
	if (n > 0xffff) {
		o->err = 1;
		return;
	}
	p9_u16(o, (uint16_t)n);
	if (o->err || o->cap - o->len < n) {
		o->err = 1;
		return;
	}
	memcpy(o->buf + o->len, s, n);
	o->len += n;
}

size_t p9_end(struct p9_out *o, size_t extra)
{
	uint64_t total = (uint64_t)o->len + extra;
	if (o->err || total > 0xffffffffu)
		return 0;
	for (int i = 0; i < 4; i++)
		o->buf[i] = (unsigned char)(total >> (8 * i));
	return o->len;
}

static uint64_t get(struct p9_in *in, size_t n)
{
	uint64_t v = 0;
	if (in->err || in->len - in->pos < n) {
		in->err = 1;
		return 0;
	}
	for (size_t i = 0; i < n; i++)
		v |= (uint64_t)in->buf[in->pos++] << (8 * i);
	return v;
}

uint8_t p9_get8(struct p9_in *in) { return (uint8_t)get(in, 1); }
uint16_t p9_get16(struct p9_in *in) { return (uint16_t)get(in, 2); }
uint32_t p9_get32(struct p9_in *in) { return (uint32_t)get(in, 4); }
uint64_t p9_get64(struct p9_in *in) { return get(in, 8); }

void p9_getqid(struct p9_in *in, struct p9_qid *q)
{
	q->type = p9_get8(in);
	q->version = p9_get32(in);
	q->path = p9_get64(in);
}

size_t p9_getstr(struct p9_in *in, const char **s)
{
	size_t n = p9_get16(in);
	if (in->err || in->len - in->pos < n) {
		in->err = 1;
		*s = "";
		return 0;
	}
	*s = (const char *)in->buf + in->pos;
	in->pos += n;
	return n;
}

int p9_reply(struct p9_in *in, const unsigned char *buf, size_t len, uint8_t type, uint16_t tag)
{
	in->buf = buf;
	in->len = len;
	in->pos = 0;
	in->err = 0;
	uint32_t size = p9_get32(in);
	uint8_t t = p9_get8(in);
	uint16_t g = p9_get16(in);
	if (in->err || size < P9_HDR || g != tag)
		return -1;
	if (size < in->len)
		in->len = size; /* the device may report more than the message */
	if (t == P9_RLERROR) {
		uint32_t e = p9_get32(in);
		return in->err || e == 0 ? -1 : (int)(e & 0x7fffffff);
	}
	return t == type ? 0 : -1;
}

void p9_getattr(struct p9_in *in, struct p9_attr *a)
{
	a->valid = p9_get64(in);
	p9_getqid(in, &a->qid);
	a->mode = p9_get32(in);
	a->uid = p9_get32(in);
	a->gid = p9_get32(in);
	a->nlink = p9_get64(in);
	a->rdev = p9_get64(in);
	a->size = p9_get64(in);
	a->blksize = p9_get64(in);
	a->blocks = p9_get64(in);
	a->atime_sec = p9_get64(in);
	a->atime_nsec = p9_get64(in);
	a->mtime_sec = p9_get64(in);
	a->mtime_nsec = p9_get64(in);
	a->ctime_sec = p9_get64(in);
	a->ctime_nsec = p9_get64(in);
	/* btime, gen and data_version follow; nothing here needs them. */
}

int p9_next_dirent(const unsigned char *data, size_t len, size_t *pos, struct p9_dirent *de)
{
	if (*pos >= len)
		return 0;
	struct p9_in in = { data, len, *pos, 0 };
	p9_getqid(&in, &de->qid);
	de->offset = p9_get64(&in);
	de->type = p9_get8(&in);
	de->namelen = p9_getstr(&in, &de->name);
	if (in.err)
		return -1;
	*pos = in.pos;
	return 1;
}

int p9_split(const char *path, const char **names, size_t *lens, int max)
{
	int n = 0;
	while (*path) {
		const char *slash = strchr(path, '/');
		size_t len = slash ? (size_t)(slash - path) : strlen(path);
		if (n == max)
			return -1;
		names[n] = path;
		lens[n++] = len;
		path += len + (slash ? 1 : 0);
	}
	return n;
}
