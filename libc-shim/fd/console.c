/* The console as files: stdin (always at end-of-file), stdout (COM1, byte-exact), stderr (the log). */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <fcntl.h>

#include "fd.h"
#include "shim.h"

static ssize_t con_read(struct file *f, void *buf, size_t n)
{
	(void)f;
	(void)buf;
	(void)n;
	return 0;
}

static ssize_t con_write(struct file *f, const void *buf, size_t n)
{
	console_write(f->handle == 1 ? CONSOLE_OUT : CONSOLE_LOG, buf, n);
	return (ssize_t)n;
}

static int con_fstat(struct file *f, struct stat *st)
{
	memset(st, 0, sizeof(*st));
	st->st_mode = S_IFCHR | 0620;
	st->st_rdev = f->handle;
	st->st_blksize = 1024;
	return 0;
}

static const struct file_ops console_ops = {
	.tty = 1,
	.read = con_read,
	.write = con_write,
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
	for (int i = 0; i < 3; i++)
		table[i] = &console[i];
}
