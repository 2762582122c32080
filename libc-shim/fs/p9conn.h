/* One 9P2000.L session with a volume's server: fids, tags, request/reply over the p9dev transport, path walks. */
#ifndef SKIFF_SHIM_P9CONN_H
#define SKIFF_SHIM_P9CONN_H

#include <stddef.h>
#include <stdint.h>

#include "p9.h"

struct p9dev;

struct p9conn {
	struct p9dev *dev;
	uint32_t msize;     /* negotiated */
	uint32_t root;      /* the attached fid */
	uint32_t next_fid;  /* atomic */
	uint32_t next_tag;  /* atomic */
};

/* Tversion + Tattach; 0 or -errno. */
int p9c_attach(struct p9conn *c, struct p9dev *dev);
uint32_t p9c_fid(struct p9conn *c);
uint16_t p9c_tag(struct p9conn *c);

/*
 * One exchange: the request o (tag already in it) plus `data` (Twrite's bytes),
 * the reply into rbuf[rcap] plus `rdata` (Rread's, Rreaddir's bytes). On 0,
 * *in reads the reply's fields after the header. -errno (newlib's numbering)
 * for Rlerror, -EIO for a malformed reply.
 */
int p9c_call(struct p9conn *c, struct p9_out *o, uint8_t rtype, const void *data, size_t dlen,
	     unsigned char *rbuf, size_t rcap, void *rdata, size_t rdlen, struct p9_in *in);

/* Walk from the root to normalised relative path rel into a new fid; *qid is the
 * last element's (the root's for ""). 0 or -errno (-ENOENT when a name is missing). */
int p9c_walk(struct p9conn *c, const char *rel, uint32_t *fid, struct p9_qid *qid);
/* Walk to rel's directory; *name points at rel's last component. */
int p9c_walk_parent(struct p9conn *c, const char *rel, uint32_t *dfid, const char **name);
void p9c_clunk(struct p9conn *c, uint32_t fid);
/* How many leading names of rel (at most 16) exist and are no symbolic link: one Twalk. */
int p9c_plain_prefix(struct p9conn *c, const char *rel);

/* Linux errno from the server -> newlib's errno value. */
int p9c_errno(int linux_errno);

#endif
