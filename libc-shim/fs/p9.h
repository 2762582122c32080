/* 9P2000.L messages: building requests and reading replies (pure code: no I/O, no libc-shim; tests/unit/test_p9.c runs it on the host). */
#ifndef SKIFF_SHIM_P9_H
#define SKIFF_SHIM_P9_H

#include <stddef.h>
#include <stdint.h>

/* Message types (9P2000.L; T = request, R = its reply = T + 1). */
enum {
	P9_RLERROR = 7, P9_TSTATFS = 8, P9_TLOPEN = 12, P9_TLCREATE = 14, P9_TSYMLINK = 16,
	P9_TREADLINK = 22, P9_TGETATTR = 24, P9_TSETATTR = 26, P9_TREADDIR = 40, P9_TFSYNC = 50,
	P9_TLOCK = 52, P9_TGETLOCK = 54, P9_TLINK = 70, P9_TMKDIR = 72, P9_TRENAMEAT = 74,
	P9_TUNLINKAT = 76, P9_TVERSION = 100, P9_TATTACH = 104, P9_TWALK = 110, P9_TREAD = 116,
	P9_TWRITE = 118, P9_TCLUNK = 120,
};

#define P9_NOTAG 0xffffu
#define P9_NOFID 0xffffffffu
#define P9_MAXWELEM 16        /* names per Twalk */
#define P9_HDR 7              /* size[4] type[1] tag[2] */
#define P9_IOHDR 24           /* what QEMU keeps of msize for Tread/Twrite's own fields */
#define P9_QTDIR 0x80
#define P9_QTSYMLINK 0x02

/* Tgetattr request mask: the basic fields (mode ... blocks). */
#define P9_GETATTR_BASIC 0x7ffull
/* Tsetattr valid bits. */
#define P9_SETATTR_MODE 0x1u
#define P9_SETATTR_SIZE 0x8u
#define P9_SETATTR_ATIME 0x10u
#define P9_SETATTR_MTIME 0x20u
#define P9_SETATTR_ATIME_SET 0x80u
#define P9_SETATTR_MTIME_SET 0x100u
/* Tunlinkat flags (Linux's AT_REMOVEDIR). */
#define P9_AT_REMOVEDIR 0x200u
/* Tlock/Tgetlock types and Rlock status. */
#define P9_LOCK_RDLCK 0
#define P9_LOCK_WRLCK 1
#define P9_LOCK_UNLCK 2
#define P9_LOCK_FLAGS_BLOCK 1
#define P9_LOCK_SUCCESS 0
#define P9_LOCK_BLOCKED 1

/* Linux open flags, which 9P2000.L's Tlopen/Tlcreate carry. */
#define P9_L_WRONLY 01
#define P9_L_RDWR 02
#define P9_L_CREAT 0100
#define P9_L_EXCL 0200
#define P9_L_TRUNC 01000
#define P9_L_APPEND 02000
#define P9_L_DIRECTORY 0200000
#define P9_L_NOFOLLOW 0400000

struct p9_qid {
	uint8_t type;
	uint32_t version;
	uint64_t path;
};

/* A request being built in buf[cap]; err is set (and stays) once it would overflow. */
struct p9_out {
	unsigned char *buf;
	size_t cap, len;
	int err;
};

void p9_begin(struct p9_out *o, unsigned char *buf, size_t cap, uint8_t type, uint16_t tag);
void p9_u8(struct p9_out *o, uint8_t v);
void p9_u16(struct p9_out *o, uint16_t v);
void p9_u32(struct p9_out *o, uint32_t v);
void p9_u64(struct p9_out *o, uint64_t v);
void p9_str(struct p9_out *o, const char *s, size_t n); /* len[2] then the bytes */
/* Write the size field; `extra` bytes follow in another segment (Twrite's data).
 * Returns the length of buf's part, or 0 after an overflow. */
size_t p9_end(struct p9_out *o, size_t extra);

/* A reply being read from buf[len]; err is set once a field runs past its end. */
struct p9_in {
	const unsigned char *buf;
	size_t len, pos;
	int err;
};

/* Check a reply's header: 0 when it is `type` with `tag` (and reads on after the header),
 * the Linux errno (> 0) of an Rlerror, or -1 for a malformed or unexpected reply. */
int p9_reply(struct p9_in *in, const unsigned char *buf, size_t len, uint8_t type, uint16_t tag);
uint8_t p9_get8(struct p9_in *in);
uint16_t p9_get16(struct p9_in *in);
uint32_t p9_get32(struct p9_in *in);
uint64_t p9_get64(struct p9_in *in);
void p9_getqid(struct p9_in *in, struct p9_qid *q);
/* A string in place: *s points into the buffer (not NUL-terminated); returns its length. */
size_t p9_getstr(struct p9_in *in, const char **s);

/* Rgetattr's fields after `valid`. */
struct p9_attr {
	uint64_t valid;
	struct p9_qid qid;
	uint32_t mode, uid, gid;
	uint64_t nlink, rdev, size, blksize, blocks;
	uint64_t atime_sec, atime_nsec, mtime_sec, mtime_nsec, ctime_sec, ctime_nsec;
};
void p9_getattr(struct p9_in *in, struct p9_attr *a);

/* One Rreaddir entry from data[len] at *pos: 1 (and *pos moves on), 0 at the end,
 * -1 when malformed. name points into data. */
struct p9_dirent {
	struct p9_qid qid;
	uint64_t offset;
	uint8_t type;
	const char *name;
	size_t namelen;
};
int p9_next_dirent(const unsigned char *data, size_t len, size_t *pos, struct p9_dirent *de);

/* Split a normalised relative path ("a/b/c", "" = root) into at most max names
 * (pointers into path, lengths in lens). Returns how many, or -1 if more. */
int p9_split(const char *path, const char **names, size_t *lens, int max);

#endif
