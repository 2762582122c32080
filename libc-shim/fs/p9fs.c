/* The file system calls on a volume: each path call walks from the volume's root, acts, and clunks; open files keep their fid. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>

#include "p9fs.h"
#include "shim.h"

#define REQ_MAX (2 * VFS_PATH_MAX + 64) /* Tsymlink: a name and a target */
#define REP_MAX 256                       /* every fixed-size reply */
#define DIRBUF 16384                      /* Rreaddir data per exchange */

struct p9file {
	struct p9vol *v;
	uint32_t fid;
	/* directories: a window of Rreaddir data starting at cookie `at` */
	unsigned char *dbuf;
	size_t dlen, dpos;
	long at;
};

static size_t io_max(const struct p9vol *v)
{
	return v->conn.msize - P9_IOHDR;
}

static void begin(struct p9vol *v, struct p9_out *o, unsigned char *buf, size_t cap, uint8_t type)
{
	p9_begin(o, buf, cap, type, p9c_tag(&v->conn));
}

/* A call with no data either way and a reply that fits REP_MAX. */
static int call(struct p9vol *v, struct p9_out *o, uint8_t rtype, unsigned char *rep, struct p9_in *in)
{
	return p9c_call(&v->conn, o, rtype, 0, 0, rep, REP_MAX, 0, 0, in);
}

static int getattr(struct p9vol *v, uint32_t fid, struct stat *st)
{
	unsigned char req[32], rep[REP_MAX];
	struct p9_out o;
	struct p9_in in;
	struct p9_attr a;

	begin(v, &o, req, sizeof(req), P9_TGETATTR);
	p9_u32(&o, fid);
	p9_u64(&o, P9_GETATTR_BASIC);
	int err = call(v, &o, P9_TGETATTR + 1, rep, &in);
	if (err)
		return err;
	p9_getattr(&in, &a);
	if (in.err)
		return -EIO;
	memset(st, 0, sizeof(*st));
	st->st_dev = v->dev;
	st->st_ino = (ino_t)a.qid.path;
	st->st_mode = a.mode;
	st->st_nlink = (nlink_t)a.nlink;
	st->st_uid = a.uid;
	st->st_gid = a.gid;
	st->st_rdev = (dev_t)a.rdev;
	st->st_size = (off_t)a.size;
	st->st_blksize = (blksize_t)a.blksize;
	st->st_blocks = (blkcnt_t)a.blocks;
	st->st_atim.tv_sec = (time_t)a.atime_sec;
	st->st_atim.tv_nsec = (long)a.atime_nsec;
	st->st_mtim.tv_sec = (time_t)a.mtime_sec;
	st->st_mtim.tv_nsec = (long)a.mtime_nsec;
	st->st_ctim.tv_sec = (time_t)a.ctime_sec;
	st->st_ctim.tv_nsec = (long)a.ctime_nsec;
	return 0;
}

/* Tsetattr: valid bits, mode, size, mtime. */
static int setattr(struct p9vol *v, uint32_t fid, uint32_t valid, mode_t mode, uint64_t size,
		   time_t mtime)
{
	unsigned char req[96], rep[REP_MAX];
	struct p9_out o;
	struct p9_in in;

	begin(v, &o, req, sizeof(req), P9_TSETATTR);
	p9_u32(&o, fid);
	p9_u32(&o, valid);
	p9_u32(&o, mode);
	p9_u32(&o, 0);
	p9_u32(&o, 0);
	p9_u64(&o, size);
	p9_u64(&o, (uint64_t)mtime); /* atime */
	p9_u64(&o, 0);
	p9_u64(&o, (uint64_t)mtime);
	p9_u64(&o, 0);
	return call(v, &o, P9_TSETATTR + 1, rep, &in);
}

/* ---- open files ---- */

/* Tread (into rbuf) or Twrite (from wbuf) in pieces of at most io_max: the bytes moved, or
 * the error when none moved. A short piece ends it: end of file, or a full host file system.
 * A write of 0 bytes still goes to the host once. */
#define RREAD_HEADER 11 /* size[4] type[1] tag[2] count[4]: the data lands in rbuf itself */

static ssize_t transfer(struct file *f, uint8_t type, const void *wbuf, void *rbuf, size_t n,
			off_t off)
{
	struct p9file *pf = f->priv;
	struct p9vol *v = pf->v;
	size_t done = 0;

	if (n == 0 && type == P9_TREAD)
		return 0;
	do {
		unsigned char req[32], rep[REP_MAX];
		struct p9_out o;
		struct p9_in in;
		uint32_t want = (uint32_t)(n - done < io_max(v) ? n - done : io_max(v));
		begin(v, &o, req, sizeof(req), type);
		p9_u32(&o, pf->fid);
		p9_u64(&o, (uint64_t)off + done);
		p9_u32(&o, want);
		int err = p9c_call(&v->conn, &o, type + 1, wbuf ? (const char *)wbuf + done : 0,
				   wbuf ? want : 0, rep, rbuf ? RREAD_HEADER : sizeof(rep),
				   rbuf ? (char *)rbuf + done : 0, rbuf ? want : 0, &in);
		uint32_t got = err ? 0 : p9_get32(&in);
		if (!err && (in.err || got > want))
			err = -EIO;
		if (err)
			return done ? (ssize_t)done : err;
		done += got;
		if (got < want)
			break;
	} while (done < n);
	return (ssize_t)done;
}

static ssize_t f_pread(struct file *f, void *buf, size_t n, off_t off)
{
	return transfer(f, P9_TREAD, 0, buf, n, off);
}

static ssize_t f_pwrite(struct file *f, const void *buf, size_t n, off_t off)
{
	return transfer(f, P9_TWRITE, buf, 0, n, off);
}

static int f_fstat(struct file *f, struct stat *st)
{
	struct p9file *pf = f->priv;
	return getattr(pf->v, pf->fid, st);
}

/* Tfsync: QEMU's server fsyncs (or fdatasyncs) the host file. */
static int f_fsync(struct file *f)
{
	struct p9file *pf = f->priv;
	unsigned char req[32], rep[REP_MAX];
	struct p9_out o;
	struct p9_in in;

	begin(pf->v, &o, req, sizeof(req), P9_TFSYNC);
	p9_u32(&o, pf->fid);
	p9_u32(&o, 0); /* datasync: no, the metadata too */
	return call(pf->v, &o, P9_TFSYNC + 1, rep, &in);
}

static int f_ftruncate(struct file *f, off_t len)
{
	struct p9file *pf = f->priv;
	return setattr(pf->v, pf->fid, P9_SETATTR_SIZE, 0, (uint64_t)len, 0);
}

static uint32_t setattr_bits(mode_t mode, time_t mtime)
{
	uint32_t valid = 0;
	if (mode != (mode_t)-1)
		valid |= P9_SETATTR_MODE;
	if (mtime != (time_t)-1)
		valid |= P9_SETATTR_MTIME | P9_SETATTR_MTIME_SET | P9_SETATTR_ATIME |
			 P9_SETATTR_ATIME_SET;
	return valid;
}

static int f_setattr(struct file *f, mode_t mode, time_t mtime)
{
	struct p9file *pf = f->priv;
	return setattr(pf->v, pf->fid, setattr_bits(mode, mtime), mode & 07777, 0, mtime);
}

static mode_t dtype_mode(uint8_t t)
{
	switch (t) {
	case 4: return S_IFDIR;
	case 8: return S_IFREG;
	case 10: return S_IFLNK;
	case 2: return S_IFCHR;
	case 6: return S_IFBLK;
	case 1: return S_IFIFO;
	case 12: return S_IFSOCK;
	default: return 0;
	}
}

static int f_readdir(struct file *f, long *pos, struct dirent *de)
{
	struct p9file *pf = f->priv;
	struct p9vol *v = pf->v;
	struct p9_dirent e;

	if (!pf->dbuf && !(pf->dbuf = malloc(DIRBUF)))
		return -ENOMEM;
	if (pf->at != *pos || pf->dpos >= pf->dlen) {
		unsigned char req[32], rep[11];
		struct p9_out o;
		struct p9_in in;
		uint32_t want = DIRBUF < io_max(v) ? DIRBUF : (uint32_t)io_max(v);
		begin(v, &o, req, sizeof(req), P9_TREADDIR);
		p9_u32(&o, pf->fid);
		p9_u64(&o, (uint64_t)*pos);
		p9_u32(&o, want);
		int err = p9c_call(&v->conn, &o, P9_TREADDIR + 1, 0, 0, rep, sizeof(rep), pf->dbuf,
				   want, &in);
		uint32_t got = err ? 0 : p9_get32(&in);
		if (!err && (in.err || got > want))
			err = -EIO;
		if (err)
			return err;
		pf->dlen = got;
		pf->dpos = 0;
		pf->at = *pos;
		if (got == 0)
			return 0;
	}
	int r = p9_next_dirent(pf->dbuf, pf->dlen, &pf->dpos, &e);
	if (r <= 0)
		return r < 0 ? -EIO : 0;
	vfs_dirent(de, e.name, e.namelen, (ino_t)e.qid.path, dtype_mode(e.type));
	*pos = pf->at = (long)e.offset;
	return 1;
}

static uint8_t lock_type(short t)
{
	return t == F_RDLCK ? P9_LOCK_RDLCK : t == F_WRLCK ? P9_LOCK_WRLCK : P9_LOCK_UNLCK;
}

/* Tlock / Tgetlock (l_whence is SEEK_SET here: fd_ctl.c made the range absolute). */
static int f_lock(struct file *f, int cmd, struct flock *fl)
{
	struct p9file *pf = f->priv;
	unsigned char req[64], rep[REP_MAX];
	struct p9_out o;
	struct p9_in in;
	int get = cmd == F_GETLK;

	begin(pf->v, &o, req, sizeof(req), get ? P9_TGETLOCK : P9_TLOCK);
	p9_u32(&o, pf->fid);
	p9_u8(&o, lock_type(fl->l_type));
	if (!get)
		p9_u32(&o, cmd == F_SETLKW ? P9_LOCK_FLAGS_BLOCK : 0);
	p9_u64(&o, (uint64_t)fl->l_start);
	p9_u64(&o, (uint64_t)fl->l_len);
	p9_u32(&o, 1); /* proc_id: the one process */
	p9_str(&o, "skiff", 5);
	int err = call(pf->v, &o, get ? P9_TGETLOCK + 1 : P9_TLOCK + 1, rep, &in);
	if (err)
		return err;
	uint8_t t = p9_get8(&in);
	if (in.err)
		return -EIO;
	if (!get)
		return t == P9_LOCK_SUCCESS ? 0 : t == P9_LOCK_BLOCKED ? -EAGAIN : -ENOLCK;
	fl->l_type = t == P9_LOCK_RDLCK ? F_RDLCK : t == P9_LOCK_WRLCK ? F_WRLCK : F_UNLCK;
	if (fl->l_type != F_UNLCK) {
		fl->l_start = (off_t)p9_get64(&in);
		fl->l_len = (off_t)p9_get64(&in);
		fl->l_pid = (pid_t)p9_get32(&in);
	}
	return 0;
}

static int f_close(struct file *f)
{
	struct p9file *pf = f->priv;
	p9c_clunk(&pf->v->conn, pf->fid);
	free(pf->dbuf);
	free(pf);
	return 0;
}

static const struct file_ops reg_ops = {
	.pread = f_pread, .pwrite = f_pwrite, .fstat = f_fstat, .fsync = f_fsync,
	.ftruncate = f_ftruncate, .setattr = f_setattr, .lock = f_lock, .close = f_close,
};
static const struct file_ops dir_ops = {
	.fstat = f_fstat, .fsync = f_fsync, .setattr = f_setattr, .readdir = f_readdir,
	.close = f_close,
};

/* ---- path calls ---- */

static uint32_t lflags(int flags)
{
	uint32_t l = (flags & O_ACCMODE) == O_WRONLY ? P9_L_WRONLY :
		     (flags & O_ACCMODE) == O_RDWR ? P9_L_RDWR : 0;
	if (flags & O_TRUNC)
		l |= P9_L_TRUNC;
	return l; /* O_APPEND: fd_io.c writes at the end itself */
}

/* Tlopen fid (or Tlcreate name in directory fid, which then is the new file). */
static int lopen(struct p9vol *v, uint32_t fid, const char *name, uint32_t fl, mode_t mode)
{
	unsigned char req[VFS_PATH_MAX + 64], rep[REP_MAX];
	struct p9_out o;
	struct p9_in in;

	begin(v, &o, req, sizeof(req), name ? P9_TLCREATE : P9_TLOPEN);
	p9_u32(&o, fid);
	if (name)
		p9_str(&o, name, strlen(name));
	p9_u32(&o, fl);
	if (name) {
		p9_u32(&o, mode & 07777 & ~shim_umask_get());
		p9_u32(&o, P9_NOFID); /* gid: leave it to the server */
	}
	return call(v, &o, name ? P9_TLCREATE + 1 : P9_TLOPEN + 1, rep, &in);
}

int p9fs_open(struct p9vol *v, const char *path, int flags, mode_t mode, struct file **out)
{
	struct p9_qid q;
	uint32_t fid;
	int err = p9c_walk(&v->conn, path, &fid, &q);

	if (err == -ENOENT && (flags & O_CREAT) && *path) {
		const char *name;
		if ((err = p9c_walk_parent(&v->conn, path, &fid, &name)))
			return err;
		err = lopen(v, fid, name, lflags(flags) | P9_L_CREAT | P9_L_EXCL, mode);
		if (err == -EEXIST && !(flags & O_EXCL)) {
			p9c_clunk(&v->conn, fid); /* made meanwhile: open that one */
			return p9fs_open(v, path, flags & ~O_CREAT, mode, out);
		}
		q.type = 0;
	} else if (err) {
		return err;
	} else if ((flags & O_CREAT) && (flags & O_EXCL)) {
		err = -EEXIST;
	} else if (q.type & P9_QTSYMLINK) {
		err = -ELOOP; /* only O_NOFOLLOW leaves a link at the end of the path */
	} else if (q.type & P9_QTDIR) {
		err = (flags & O_ACCMODE) != O_RDONLY ? -EISDIR : lopen(v, fid, 0, P9_L_DIRECTORY, 0);
	} else if (flags & O_DIRECTORY) {
		err = -ENOTDIR;
	} else {
		err = lopen(v, fid, 0, lflags(flags), 0);
	}
	if (err) {
		p9c_clunk(&v->conn, fid);
		return err;
	}
	struct p9file *pf = calloc(1, sizeof(*pf));
	*out = pf ? file_new(q.type & P9_QTDIR ? &dir_ops : &reg_ops, flags, pf) : NULL;
	if (!*out) {
		free(pf);
		p9c_clunk(&v->conn, fid);
		return -ENOMEM;
	}
	pf->v = v;
	pf->fid = fid;
	return 0;
}

/* Walk to path, act on its fid, clunk it: every path call that acts on the file itself. */
static int on_path(struct p9vol *v, const char *path,
		   int (*act)(struct p9vol *v, uint32_t fid, const struct p9_qid *q, void *arg),
		   void *arg)
{
	struct p9_qid q;
	uint32_t fid;
	int err = p9c_walk(&v->conn, path, &fid, &q);

	if (err)
		return err;
	err = act(v, fid, &q, arg);
	p9c_clunk(&v->conn, fid);
	return err;
}

static int act_stat(struct p9vol *v, uint32_t fid, const struct p9_qid *q, void *st)
{
	(void)q;
	return getattr(v, fid, st);
}

int p9fs_stat(struct p9vol *v, const char *path, struct stat *st)
{
	return on_path(v, path, act_stat, st);
}

struct mode_mtime {
	mode_t mode;
	time_t mtime;
};

static int act_setattr(struct p9vol *v, uint32_t fid, const struct p9_qid *q, void *arg)
{
	const struct mode_mtime *mm = arg;
	(void)q;
	return setattr(v, fid, setattr_bits(mm->mode, mm->mtime), mm->mode & 07777, 0, mm->mtime);
}

int p9fs_setattr(struct p9vol *v, const char *path, mode_t mode, time_t mtime)
{
	struct mode_mtime mm = { mode, mtime };
	return on_path(v, path, act_setattr, &mm);
}

/* Tmkdir, Tunlinkat, Tsymlink: one name in rel's directory. */
static int in_parent(struct p9vol *v, const char *path, uint8_t type, uint32_t arg,
		     const char *target)
{
	unsigned char req[REQ_MAX], rep[REP_MAX];
	struct p9_out o;
	struct p9_in in;
	const char *name;
	uint32_t dfid;
	int err = p9c_walk_parent(&v->conn, path, &dfid, &name);

	if (err)
		return err;
	begin(v, &o, req, sizeof(req), type);
	p9_u32(&o, dfid);
	p9_str(&o, name, strlen(name));
	if (target)
		p9_str(&o, target, strlen(target));
	if (type != P9_TSYMLINK)
		p9_u32(&o, arg);
	if (type != P9_TUNLINKAT)
		p9_u32(&o, P9_NOFID); /* gid */
	err = call(v, &o, type + 1, rep, &in);
	p9c_clunk(&v->conn, dfid);
	return err;
}

int p9fs_mkdir(struct p9vol *v, const char *path, mode_t mode)
{
	return in_parent(v, path, P9_TMKDIR, mode & 07777 & ~shim_umask_get(), 0);
}

int p9fs_rmdir(struct p9vol *v, const char *path)
{
	return in_parent(v, path, P9_TUNLINKAT, P9_AT_REMOVEDIR, 0);
}

int p9fs_unlink(struct p9vol *v, const char *path)
{
	return in_parent(v, path, P9_TUNLINKAT, 0, 0);
}

int p9fs_symlink(struct p9vol *v, const char *target, const char *path)
{
	return in_parent(v, path, P9_TSYMLINK, 0, target);
}

int p9fs_rename(struct p9vol *v, const char *from, const char *to)
{
	unsigned char req[REQ_MAX], rep[REP_MAX];
	struct p9_out o;
	struct p9_in in;
	const char *n1, *n2;
	uint32_t d1, d2;
	int err = p9c_walk_parent(&v->conn, from, &d1, &n1);

	if (err)
		return err;
	if ((err = p9c_walk_parent(&v->conn, to, &d2, &n2))) {
		p9c_clunk(&v->conn, d1);
		return err;
	}
	begin(v, &o, req, sizeof(req), P9_TRENAMEAT);
	p9_u32(&o, d1);
	p9_str(&o, n1, strlen(n1));
	p9_u32(&o, d2);
	p9_str(&o, n2, strlen(n2));
	err = call(v, &o, P9_TRENAMEAT + 1, rep, &in);
	p9c_clunk(&v->conn, d1);
	p9c_clunk(&v->conn, d2);
	return err;
}

/* Tlink: a new name `to` (a path, passed as arg) for the file at fid. */
static int act_link(struct p9vol *v, uint32_t fid, const struct p9_qid *q, void *to)
{
	unsigned char req[REQ_MAX], rep[REP_MAX];
	struct p9_out o;
	struct p9_in in;
	const char *name;
	uint32_t dfid;

	if (q->type & P9_QTDIR)
		return -EPERM;
	int err = p9c_walk_parent(&v->conn, to, &dfid, &name);
	if (err)
		return err;
	begin(v, &o, req, sizeof(req), P9_TLINK);
	p9_u32(&o, dfid);
	p9_u32(&o, fid);
	p9_str(&o, name, strlen(name));
	err = call(v, &o, P9_TLINK + 1, rep, &in);
	p9c_clunk(&v->conn, dfid);
	return err;
}

int p9fs_link(struct p9vol *v, const char *from, const char *to)
{
	return on_path(v, from, act_link, (void *)to);
}

struct link_target {
	char *buf;
	size_t size;
};

/* Treadlink: the target's bytes into arg's buffer (cut to its size); their count. */
static int act_readlink(struct p9vol *v, uint32_t fid, const struct p9_qid *q, void *arg)
{
	struct link_target *lt = arg;
	unsigned char req[32], rep[VFS_PATH_MAX + 16];
	struct p9_out o;
	struct p9_in in;
	const char *t;

	if (!(q->type & P9_QTSYMLINK))
		return -EINVAL;
	begin(v, &o, req, sizeof(req), P9_TREADLINK);
	p9_u32(&o, fid);
	int err = p9c_call(&v->conn, &o, P9_TREADLINK + 1, 0, 0, rep, sizeof(rep), 0, 0, &in);
	if (err)
		return err;
	size_t n = p9_getstr(&in, &t);
	if (in.err)
		return -EIO;
	if (n > lt->size)
		n = lt->size;
	memcpy(lt->buf, t, n);
	return (int)n;
}

int p9fs_readlink(struct p9vol *v, const char *path, char *buf, size_t size)
{
	struct link_target lt = { buf, size };
	return on_path(v, path, act_readlink, &lt);
}

int p9fs_statvfs(struct p9vol *v, struct statvfs *buf)
{
	unsigned char req[32], rep[REP_MAX];
	struct p9_out o;
	struct p9_in in;

	begin(v, &o, req, sizeof(req), P9_TSTATFS);
	p9_u32(&o, v->conn.root);
	int err = call(v, &o, P9_TSTATFS + 1, rep, &in);
	if (err)
		return err;
	memset(buf, 0, sizeof(*buf));
	(void)p9_get32(&in); /* type */
	buf->f_bsize = buf->f_frsize = p9_get32(&in);
	buf->f_blocks = p9_get64(&in);
	buf->f_bfree = p9_get64(&in);
	buf->f_bavail = p9_get64(&in);
	buf->f_files = p9_get64(&in);
	buf->f_ffree = buf->f_favail = p9_get64(&in);
	(void)p9_get64(&in); /* fsid */
	buf->f_namemax = p9_get32(&in);
	buf->f_fsid = (unsigned long)v->dev;
	buf->f_flag = ST_NOSUID | (v->ro ? ST_RDONLY : 0);
	return in.err ? -EIO : 0;
}
