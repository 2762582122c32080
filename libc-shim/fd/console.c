/* The console as files: fds 0/1/2 over the host console link (hostcon), else COM1/debugcon with stdin at end of file. */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <fcntl.h>

#include <skiff/boot.h>
#include <skiff/hostcon.h>

#include "fd.h"
#include "shim.h"

/* st_blksize: newlib sizes a fully-buffered stdio buffer by it (one frame per flush). */
#define BLKSIZE_PIPE 65536
#define BLKSIZE_TTY 1024

static int link_state; /* 0 not asked yet, 1 hostcon, -1 fallback ports (atomic) */

/* Is the host console there? Asked once, on the first read or write. */
static int use_hostcon(void)
{
	int s = __atomic_load_n(&link_state, __ATOMIC_ACQUIRE);
	if (s == 0) {
		s = hostcon_present() ? 1 : -1;
		if (s == 1)
			hostcon_on_input(fd_ready_changed);
		__atomic_store_n(&link_state, s, __ATOMIC_RELEASE);
	}
	return s == 1;
}

static ssize_t con_read(struct file *f, void *buf, size_t n)
{
	if (f->handle != 0 || !use_hostcon())
		return 0; /* no link: stdin is at end of file */
	return hostcon_read(buf, n, __atomic_load_n(&f->flags, __ATOMIC_RELAXED) & O_NONBLOCK);
}

static ssize_t con_write(struct file *f, const void *buf, size_t n)
{
	if (use_hostcon())
		return hostcon_write(f->handle == 1 ? HOSTCON_STDOUT : HOSTCON_STDERR, buf, n);
	console_write(f->handle == 1 ? CONSOLE_OUT : CONSOLE_LOG, buf, n);
	return (ssize_t)n;
}

static short con_poll(struct file *f, short events)
{
	if (f->handle != 0)
		return FD_POLLOUT;
	if (!use_hostcon() || hostcon_readable())
		return FD_POLLIN;
	(void)events;
	return 0;
}

static int con_fstat(struct file *f, struct stat *st)
{
	memset(st, 0, sizeof(*st));
	st->st_mode = S_IFCHR | 0620;
	st->st_rdev = f->handle;
	st->st_blksize = f->ops->tty ? BLKSIZE_TTY : BLKSIZE_PIPE;
	return 0;
}

/* isatty() tells the truth about skiff run's own fds 0-2: it passes the
 * terminals among them as the kernel argument ttys=DIGITS (ttys=01: stdin
 * and stdout are terminals). Without it (a bare QEMU) none is. */
static const struct file_ops console_ops = {
	.read = con_read,
	.write = con_write,
	.poll = con_poll,
	.fstat = con_fstat,
};

static const struct file_ops console_tty_ops = {
	.tty = 1,
	.read = con_read,
	.write = con_write,
	.poll = con_poll,
	.fstat = con_fstat,
};

/* Two references each: the table's and one that is never dropped. */
static struct file console[3] = {
	{ .ops = &console_ops, .refs = 2, .flags = O_RDONLY, .handle = 0 },
	{ .ops = &console_ops, .refs = 2, .flags = O_WRONLY, .handle = 1 },
	{ .ops = &console_ops, .refs = 2, .flags = O_WRONLY, .handle = 2 },
};

void shim_console_files(struct file **table)
{
	const char *ttys = boot_karg("ttys");
	for (int i = 0; i < 3; i++) {
		if (ttys && strchr(ttys, '0' + i))
			console[i].ops = &console_tty_ops;
		table[i] = &console[i];
	}
}
