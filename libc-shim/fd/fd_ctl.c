/* close, dup, dup2, dup3 and fcntl on the fd table. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fd.h"
#include "shim.h"

int close(int fd)
{
	return fd_ret(fd_close(fd));
}

static int dup_from(int fd, int min)
{
	struct file *f = fd_get(fd);
	if (!f)
		return fd_ret(-EBADF);
	int r = fd_install(f, min); /* the table takes our reference */
	if (r < 0)
		file_put(f);
	return fd_ret(r);
}

int dup(int fd)
{
	return dup_from(fd, 0);
}

int dup2(int fd, int newfd)
{
	struct file *f = fd_get(fd);
	if (!f)
		return fd_ret(-EBADF);
	if (fd == newfd) {
		file_put(f);
		return newfd;
	}
	int r = fd_install_at(f, newfd);
	if (r < 0)
		file_put(f);
	return fd_ret(r);
}

int dup3(int fd, int newfd, int flags)
{
	if (fd == newfd || (flags & ~O_CLOEXEC))
		return fd_ret(-EINVAL);
	return dup2(fd, newfd);
}

/* Flags F_SETFL may change; the access mode and the rest stay. */
#define SETFL_MASK (O_APPEND | O_NONBLOCK)

/* Record locks: one process, so no lock ever conflicts; files that say so to a server
 * (volumes: Tlock/Tgetlock) get the range made absolute first. */
static long lock(struct file *f, int cmd, struct flock *fl)
{
	if (!fl)
		return -EFAULT;
	if (fl->l_type != F_RDLCK && fl->l_type != F_WRLCK && fl->l_type != F_UNLCK)
		return -EINVAL;
	if (cmd != F_GETLK && fl->l_type != F_UNLCK &&
	    (f->flags & O_ACCMODE) == (fl->l_type == F_RDLCK ? O_WRONLY : O_RDONLY))
		return -EBADF; /* a read lock needs a readable fd, a write lock a writable one */
	if (!f->ops->lock) {
		if (cmd == F_GETLK)
			fl->l_type = F_UNLCK;
		return 0;
	}
	struct flock abs = *fl;
	if (fl->l_whence == SEEK_CUR || fl->l_whence == SEEK_END) {
		struct stat st;
		off_t base = f->pos;
		if (fl->l_whence == SEEK_END) {
			long r = f->ops->fstat ? f->ops->fstat(f, &st) : -EINVAL;
			if (r)
				return r;
			base = st.st_size;
		}
		abs.l_start += base;
	} else if (fl->l_whence != SEEK_SET) {
		return -EINVAL;
	}
	abs.l_whence = SEEK_SET;
	if (abs.l_len < 0) {
		abs.l_start += abs.l_len;
		abs.l_len = -abs.l_len;
	}
	if (abs.l_start < 0)
		return -EINVAL;
	long r = f->ops->lock(f, cmd, &abs);
	if (r == 0 && cmd == F_GETLK)
		*fl = abs;
	return r;
}

int fcntl(int fd, int cmd, ...)
{
	va_list ap;
	va_start(ap, cmd);
	long arg = va_arg(ap, long);
	va_end(ap);

	if (cmd == F_DUPFD || cmd == F_DUPFD_CLOEXEC)
		return arg < 0 ? fd_ret(-EINVAL) : dup_from(fd, (int)arg);
	struct file *f = fd_get(fd);
	if (!f)
		return fd_ret(-EBADF);
	long r;
	switch (cmd) {
	case F_GETFD:
	case F_SETFD: /* no exec: close-on-exec means nothing */
		r = 0;
		break;
	case F_GETFL:
		r = __atomic_load_n(&f->flags, __ATOMIC_RELAXED);
		break;
	case F_SETFL: {
		int fl = (f->flags & ~SETFL_MASK) | ((int)arg & SETFL_MASK);
		r = f->ops->setfl ? f->ops->setfl(f, fl) : 0;
		if (r == 0)
			__atomic_store_n(&f->flags, fl, __ATOMIC_RELAXED);
		break;
	}
	case F_GETLK:
	case F_SETLK:
	case F_SETLKW:
		r = lock(f, cmd, (struct flock *)arg);
		break;
	default:
		r = -EINVAL;
	}
	file_put(f);
	return fd_ret(r);
}
