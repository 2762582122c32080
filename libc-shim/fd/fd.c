/* The fd table: lowest-free allocation, references that keep a file alive across a concurrent close. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fd.h"
#include "shim.h"

static struct file **table;       /* (table_lock) */
static int table_size;            /* slots in table (table_lock) */
static int lowest_free;           /* no free slot below this (table_lock) */
static struct sk_mutex table_lock = SK_MUTEX_INIT;
/* The first table needs no heap, so the console's fds work even when the
 * program has used up all memory before its first write. */
#define FIRST_TABLE 64
static struct file *first_table[FIRST_TABLE];

struct file *file_new(const struct file_ops *ops, int flags, void *priv)
{
	struct file *f = calloc(1, sizeof(*f));

	if (!f)
		return NULL;
	f->ops = ops;
	f->refs = 1;
	f->flags = flags;
	f->priv = priv;
	sk_mutex_init(&f->lock, 0);
	return f;
}

/* Make slot fd exist. Table lock held. 0, -EMFILE or -ENOMEM. */
static int grow(int fd)
{
	if (fd < table_size)
		return 0;
	if (fd >= FD_MAX)
		return -EMFILE;
	int size = table_size ? table_size : FIRST_TABLE;
	while (size <= fd)
		size *= 2;
	if (size > FD_MAX)
		size = FD_MAX;
	struct file **t;
	if (!table && size == FIRST_TABLE) {
		t = first_table;
	} else if (table == first_table) {
		if ((t = malloc((size_t)size * sizeof(*t))))
			memcpy(t, table, (size_t)table_size * sizeof(*t));
	} else {
		t = realloc(table, (size_t)size * sizeof(*t));
	}
	if (!t)
		return -ENOMEM;
	memset(t + table_size, 0, (size_t)(size - table_size) * sizeof(*t));
	table = t;
	table_size = size;
	return 0;
}

/* The first use creates the table with the console at fds 0-2. Lock held. */
static int table_ready(void)
{
	if (table)
		return 0;
	int err = grow(2);
	if (!err) {
		shim_console_files(table);
		lowest_free = 3;
	}
	return err;
}

int fd_install(struct file *f, int min)
{
	int fd, err;

	if (min < 0 || min >= FD_MAX)
		return -EINVAL;
	sk_mutex_lock(&table_lock);
	err = table_ready();
	for (fd = min > lowest_free ? min : lowest_free; !err; fd++) {
		if ((err = grow(fd)) == 0 && !table[fd])
			break;
	}
	if (!err) {
		table[fd] = f;
		if (fd == lowest_free)
			lowest_free = fd + 1;
	}
	sk_mutex_unlock(&table_lock);
	return err ? err : fd;
}

int fd_install_at(struct file *f, int fd)
{
	struct file *old = NULL;
	int err;

	if (fd < 0 || fd >= FD_MAX)
		return -EBADF;
	sk_mutex_lock(&table_lock);
	if ((err = table_ready()) == 0 && (err = grow(fd)) == 0) {
		old = table[fd];
		table[fd] = f;
	}
	sk_mutex_unlock(&table_lock);
	if (err)
		return err;
	if (old)
		file_put(old);
	return fd;
}

struct file *fd_get(int fd)
{
	struct file *f = NULL;

	sk_mutex_lock(&table_lock);
	if (table_ready() == 0 && fd >= 0 && fd < table_size && (f = table[fd]))
		__atomic_add_fetch(&f->refs, 1, __ATOMIC_RELAXED);
	sk_mutex_unlock(&table_lock);
	return f;
}

/* Drop one reference; the last one closes. 0, or the close error. */
static int release(struct file *f)
{
	if (__atomic_sub_fetch(&f->refs, 1, __ATOMIC_ACQ_REL) != 0)
		return 0;
	int err = f->ops->close ? f->ops->close(f) : 0;
	free(f->path);
	free(f);
	return err;
}

void file_put(struct file *f)
{
	release(f);
}

int fd_close(int fd)
{
	struct file *f = NULL;

	sk_mutex_lock(&table_lock);
	if (table_ready() == 0 && fd >= 0 && fd < table_size && (f = table[fd])) {
		table[fd] = NULL;
		if (fd < lowest_free)
			lowest_free = fd;
	}
	sk_mutex_unlock(&table_lock);
	return f ? release(f) : -EBADF;
}

long fd_ret(long r)
{
	if (r < 0) {
		errno = (int)-r;
		return -1;
	}
	return r;
}
