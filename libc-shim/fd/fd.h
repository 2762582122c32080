/* libc-shim's fd table: one table of open files for console, files, directories, devices and sockets. */
#ifndef SKIFF_SHIM_FD_H
#define SKIFF_SHIM_FD_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <skiff/sync.h>

struct file;
struct stat;
struct dirent;
struct flock;
struct pollfd; /* <poll.h>'s layout (lwIP's is the same) */

/* poll(2) bits as apps see them (<poll.h>); sock_poll.c translates to lwIP's. */
#define FD_POLLIN 0x001
#define FD_POLLPRI 0x002
#define FD_POLLOUT 0x004
#define FD_POLLERR 0x008
#define FD_POLLHUP 0x010
#define FD_POLLNVAL 0x020

/*
 * What a kind of file can do. Every member is optional; a missing one gives
 * the POSIX answer for "this file cannot" (EINVAL, ESPIPE, ENOTTY...).
 * Errors are returned as -errno; fd_io.c sets errno.
 * Stream files (console, sockets) implement read/write; seekable ones
 * (initrd, /tmp, /dev/vda) implement pread/pwrite and fstat's st_size, and
 * fd_io.c keeps the position.
 */
struct iovec;

struct file_ops {
	int tty; /* isatty() says yes */
	ssize_t (*read)(struct file *f, void *buf, size_t n);
	ssize_t (*write)(struct file *f, const void *buf, size_t n);
	/* readv/writev as one operation (sockets: one datagram, one send under the sender
	 * lock); NULL = piece by piece through read/write. */
	ssize_t (*readv)(struct file *f, const struct iovec *iov, int iovcnt);
	ssize_t (*writev)(struct file *f, const struct iovec *iov, int iovcnt);
	ssize_t (*pread)(struct file *f, void *buf, size_t n, off_t off);
	ssize_t (*pwrite)(struct file *f, const void *buf, size_t n, off_t off);
	int (*fstat)(struct file *f, struct stat *st);
	int (*fsync)(struct file *f);
	int (*ftruncate)(struct file *f, off_t len);
	/* fchmod/futimes: as struct fs_ops' setattr (fs/vfs.h). */
	int (*setattr)(struct file *f, mode_t mode, time_t mtime);
	int (*ioctl)(struct file *f, unsigned long req, void *arg);
	/* fcntl F_GETLK/F_SETLK/F_SETLKW with l_whence already made SEEK_SET
	 * (l_start absolute); NULL: one process, so every lock is granted. */
	int (*lock)(struct file *f, int cmd, struct flock *fl);
	/* O_NONBLOCK (or O_APPEND) was changed to f->flags. */
	int (*setfl)(struct file *f, int flags);
	/* Readiness now, as FD_POLL* bits; NULL = always readable and writable. */
	short (*poll)(struct file *f, short events);
	/* Wait for several files of this kind at once (sockets): fills
	 * pfds[i].revents for files[i], returns how many are ready, 0 on
	 * timeout (ms, -1 = none), or -errno. */
	int (*poll_many)(struct file **files, struct pollfd *pfds, unsigned n, int timeout_ms);
	/* Directories: the entry at *pos into *de and advance *pos.
	 * 1 for an entry, 0 at the end, or -errno. */
	int (*readdir)(struct file *f, long *pos, struct dirent *de);
	/* The last reference is gone: release the object. 0 or -errno. */
	int (*close)(struct file *f);
	/* When the file last became readable from empty, as an fd_order_next()
	 * stamp (0 = not known); epoll orders what it reports by it. */
	uint64_t (*ready_stamp)(struct file *f);
};

/* An open file description; dup() shares one between fds. */
struct file {
	const struct file_ops *ops;
	int refs;               /* fds and in-flight calls (atomic) */
	int flags;              /* O_ACCMODE | O_APPEND | O_NONBLOCK (atomic) */
	struct sk_mutex lock;   /* serialises pos updates; sockets: their senders */
	off_t pos;              /* seekable files (lock) */
	void *priv;             /* owned by ops */
	int handle;             /* owned by ops (lwIP socket index) */
	char *path;             /* directories opened by path: its absolute path, for the *at calls (freed with the file) */
};

#define FD_MAX 65536 /* largest table; select() sees FD_SETSIZE of them */

/* A new file with one reference (not yet in the table), or NULL (ENOMEM). */
struct file *file_new(const struct file_ops *ops, int flags, void *priv);
/* Put f at the lowest free fd >= min; the table takes f's reference.
 * Returns the fd, or -EMFILE. */
int fd_install(struct file *f, int min);
/* dup2: put f at exactly fd, closing what was there; the table takes f's
 * reference. Returns fd, -EBADF or -ENOMEM. */
int fd_install_at(struct file *f, int fd);
/* The file at fd with a reference the caller drops with file_put, or NULL. */
struct file *fd_get(int fd);
void file_put(struct file *f);
/* Remove fd from the table and drop its reference; 0 or -EBADF (or the
 * close error when that was the last reference). */
int fd_close(int fd);
/* console.c: fill fds 0-2 of a new table (static files, never freed). */
void shim_console_files(struct file **table);
/* ready.c: files whose readiness changes outside a device wait (pipes)
 * call fd_ready_changed(); poll() takes fd_ready_seq() before it looks and
 * sleeps in fd_ready_wait() until the count moves or the deadline
 * (monotonic ns, 0 = none) passes: 0 woken (or moved already), -1 timeout. */
uint64_t fd_ready_seq(void);
void fd_ready_changed(void);
int fd_ready_wait(uint64_t seen, uint64_t deadline_ns);

/* order.c: a shim-wide counter for ordering readiness events (sockets stamp
 * arrivals, epoll stamps reports); never 0, safe from any thread. */
uint64_t fd_order_next(void);

/* Set errno from a -errno result; returns -1 for r < 0, else r. */
long fd_ret(long r);

#endif
