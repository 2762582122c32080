/* A 9P2000.L session: msize negotiation, attach, fid and tag numbers, one exchange, walks and clunks. */
#include <errno.h>
#include <string.h>

#include <skiff/p9dev.h>
#include "p9conn.h"
#include "vfs.h"

#define MSIZE_WANT (128u * 1024u + P9_IOHDR) /* 128 KiB of data per Tread/Twrite */
#define MSIZE_MIN 4096u

/* Linux's numbers above 34 differ from newlib's (below they agree). */
int p9c_errno(int e)
{
	static const struct { int lin, nl; } map[] = {
		{ 35, EDEADLK }, { 36, ENAMETOOLONG }, { 37, ENOLCK }, { 38, ENOSYS },
		{ 39, ENOTEMPTY }, { 40, ELOOP }, { 61, ENODATA }, { 71, EPROTO },
		{ 75, EOVERFLOW }, { 95, EOPNOTSUPP }, { 110, ETIMEDOUT }, { 122, EDQUOT },
	};
	if (e > 0 && e <= 34)
		return e;
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (map[i].lin == e)
			return map[i].nl;
	return EIO;
}

uint32_t p9c_fid(struct p9conn *c)
{
	return __atomic_add_fetch(&c->next_fid, 1, __ATOMIC_RELAXED);
}

uint16_t p9c_tag(struct p9conn *c)
{
	uint16_t t;
	do
		t = (uint16_t)__atomic_add_fetch(&c->next_tag, 1, __ATOMIC_RELAXED);
	while (t == P9_NOTAG);
	return t;
}

int p9c_call(struct p9conn *c, struct p9_out *o, uint8_t rtype, const void *data, size_t dlen,
	     unsigned char *rbuf, size_t rcap, void *rdata, size_t rdlen, struct p9_in *in)
{
	size_t n = p9_end(o, dlen);
	if (!n || n + dlen > c->msize)
		return -ENAMETOOLONG; /* only names and link targets can make a request too big */
	uint16_t tag = (uint16_t)(o->buf[5] | o->buf[6] << 8);
	struct p9_seg out[2] = { { o->buf, n }, { (void *)data, dlen } };
	struct p9_seg inseg[2] = { { rbuf, rcap }, { rdata, rdlen } };
	long got = p9dev_rpc(c->dev, out, dlen ? 2 : 1, inseg, rdlen ? 2 : 1);
	if (got < 0)
		return (int)got;
	int r = p9_reply(in, rbuf, (size_t)got < rcap ? (size_t)got : rcap, rtype, tag);
	if (r > 0)
		return -p9c_errno(r);
	return r < 0 ? -EIO : 0;
}

int p9c_attach(struct p9conn *c, struct p9dev *dev)
{
	unsigned char req[128], rep[128];
	struct p9_out o;
	struct p9_in in;
	const char *ver;

	c->dev = dev;
	c->msize = MSIZE_MIN; /* until the server answers */
	p9_begin(&o, req, sizeof(req), P9_TVERSION, P9_NOTAG);
	p9_u32(&o, MSIZE_WANT);
	p9_str(&o, "9P2000.L", 8);
	int err = p9c_call(c, &o, P9_TVERSION + 1, 0, 0, rep, sizeof(rep), 0, 0, &in);
	if (err)
		return err;
	uint32_t msize = p9_get32(&in);
	size_t vlen = p9_getstr(&in, &ver);
	if (in.err || vlen != 8 || memcmp(ver, "9P2000.L", 8) || msize < MSIZE_MIN)
		return -EPROTO;
	c->msize = msize < MSIZE_WANT ? msize : MSIZE_WANT;
	c->root = p9c_fid(c);
	p9_begin(&o, req, sizeof(req), P9_TATTACH, p9c_tag(c));
	p9_u32(&o, c->root);
	p9_u32(&o, P9_NOFID);
	p9_str(&o, "", 0);
	p9_str(&o, "", 0);
	/* No user: the server changes no owner, so new files belong to whoever runs QEMU. */
	p9_u32(&o, P9_NOFID);
	return p9c_call(c, &o, P9_TATTACH + 1, 0, 0, rep, sizeof(rep), 0, 0, &in);
}

void p9c_clunk(struct p9conn *c, uint32_t fid)
{
	unsigned char req[16], rep[32];
	struct p9_out o;
	struct p9_in in;

	p9_begin(&o, req, sizeof(req), P9_TCLUNK, p9c_tag(c));
	p9_u32(&o, fid);
	(void)p9c_call(c, &o, P9_TCLUNK + 1, 0, 0, rep, sizeof(rep), 0, 0, &in);
}

#define WALK_NAMES_MAX (VFS_PATH_MAX / 2)

int p9c_walk(struct p9conn *c, const char *rel, uint32_t *fid, struct p9_qid *qid)
{
	const char *names[WALK_NAMES_MAX];
	size_t lens[WALK_NAMES_MAX];
	unsigned char req[VFS_PATH_MAX + 64], rep[P9_HDR + 2 + P9_MAXWELEM * 13 + 8];
	int n = p9_split(rel, names, lens, WALK_NAMES_MAX);
	uint32_t nf = p9c_fid(c), from = c->root;
	int i = 0;

	if (n < 0)
		return -ENAMETOOLONG;
	qid->type = P9_QTDIR; /* the root's, for "" */
	qid->version = 0;
	qid->path = 0;
	do {
		int k = n - i < P9_MAXWELEM ? n - i : P9_MAXWELEM;
		struct p9_out o;
		struct p9_in in;
		p9_begin(&o, req, sizeof(req), P9_TWALK, p9c_tag(c));
		p9_u32(&o, from);
		p9_u32(&o, nf);
		p9_u16(&o, (uint16_t)k);
		for (int j = 0; j < k; j++)
			p9_str(&o, names[i + j], lens[i + j]);
		int err = p9c_call(c, &o, P9_TWALK + 1, 0, 0, rep, sizeof(rep), 0, 0, &in);
		int got = err ? 0 : p9_get16(&in);
		for (int j = 0; j < got && j < k; j++)
			p9_getqid(&in, qid);
		if (!err && (in.err || got != k))
			err = -ENOENT; /* a partial walk leaves nf as it was */
		if (err) {
			if (from == nf)
				p9c_clunk(c, nf);
			return err;
		}
		from = nf;
		i += k;
	} while (i < n);
	*fid = nf;
	return 0;
}

int p9c_walk_parent(struct p9conn *c, const char *rel, uint32_t *dfid, const char **name)
{
	char dir[VFS_PATH_MAX];
	struct p9_qid q;
	const char *slash = strrchr(rel, '/');
	size_t dlen = slash ? (size_t)(slash - rel) : 0;

	if (!*rel)
		return -EBUSY; /* the volume's root has no parent on this file system */
	memcpy(dir, rel, dlen);
	dir[dlen] = '\0';
	*name = slash ? slash + 1 : rel;
	int err = p9c_walk(c, dir, dfid, &q);
	if (!err && !(q.type & P9_QTDIR)) {
		p9c_clunk(c, *dfid);
		err = -ENOTDIR;
	}
	return err;
}

int p9c_plain_prefix(struct p9conn *c, const char *rel)
{
	const char *names[P9_MAXWELEM];
	size_t lens[P9_MAXWELEM];
	unsigned char req[VFS_PATH_MAX + 64], rep[P9_HDR + 2 + P9_MAXWELEM * 13 + 8];
	int n = 0;
	const char *p = rel;

	while (*p && n < P9_MAXWELEM) { /* the first 16 names are enough to look ahead */
		const char *slash = strchr(p, '/');
		names[n] = p;
		lens[n] = slash ? (size_t)(slash - p) : strlen(p);
		p += lens[n++] + (slash ? 1 : 0);
	}
	if (n == 0)
		return 0;
	struct p9_out o;
	struct p9_in in;
	uint32_t nf = p9c_fid(c);
	p9_begin(&o, req, sizeof(req), P9_TWALK, p9c_tag(c));
	p9_u32(&o, c->root);
	p9_u32(&o, nf);
	p9_u16(&o, (uint16_t)n);
	for (int j = 0; j < n; j++)
		p9_str(&o, names[j], lens[j]);
	if (p9c_call(c, &o, P9_TWALK + 1, 0, 0, rep, sizeof(rep), 0, 0, &in))
		return 0; /* the first name is missing (or worse): nothing known */
	int got = p9_get16(&in), plain = 0;
	struct p9_qid q;
	for (int j = 0; j < got && j < n && !in.err; j++) {
		p9_getqid(&in, &q);
		if (in.err || (q.type & P9_QTSYMLINK))
			break;
		plain++;
	}
	if (got == n)
		p9c_clunk(c, nf); /* a whole walk made nf */
	return plain;
}
