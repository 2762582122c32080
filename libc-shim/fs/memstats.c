/* /dev/memstats: a text snapshot of the kernel's memory figures (mm_stats) and malloc's, taken at open. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <skiff/mm.h>
#include "malloc/malloc_stats.h"
#include "memstats.h"
#include "vfs.h"

#define TEXT_MAX 512

struct snapshot {
	size_t len;
	char text[TEXT_MAX];
};

/* One "name value" line per figure, all in bytes. */
static void fill(struct snapshot *s)
{
	struct mm_stats st;
	struct malloc_figures mf;

	mm_stats(&st);
	malloc_figures(&mf);
	int n = snprintf(s->text, sizeof(s->text),
			 "ram %llu\nfree %llu\nfree_low %llu\nheap %llu\nheap_high %llu\n"
			 "malloc_in_use %zu\nmalloc_free %zu\n",
			 (unsigned long long)st.ram, (unsigned long long)st.free,
			 (unsigned long long)st.free_low, (unsigned long long)st.heap,
			 (unsigned long long)st.heap_high, mf.in_use, mf.free);
	s->len = n < 0 ? 0 : (size_t)n < sizeof(s->text) ? (size_t)n : sizeof(s->text) - 1;
}

static ssize_t m_pread(struct file *f, void *buf, size_t n, off_t off)
{
	struct snapshot *s = f->priv;

	if (off < 0)
		return -EINVAL;
	if ((size_t)off >= s->len)
		return 0;
	if (n > s->len - (size_t)off)
		n = s->len - (size_t)off;
	memcpy(buf, s->text + off, n);
	return (ssize_t)n;
}

int memstats_stat(struct stat *st)
{
	memset(st, 0, sizeof(*st));
	st->st_mode = S_IFREG | 0444;
	st->st_dev = VFS_DEV_DEVFS;
	st->st_ino = MEMSTATS_INO;
	st->st_nlink = 1;
	st->st_blksize = 4096;
	return 0;
}

static int m_fstat(struct file *f, struct stat *st)
{
	memstats_stat(st);
	st->st_size = (off_t)((struct snapshot *)f->priv)->len;
	return 0;
}

static int m_close(struct file *f)
{
	free(f->priv);
	return 0;
}

static const struct file_ops memstats_ops = {
	.pread = m_pread,
	.fstat = m_fstat,
	.close = m_close,
};

int memstats_open(int flags, struct file **out)
{
	struct snapshot *s;

	if (flags & O_DIRECTORY)
		return -ENOTDIR;
	if ((flags & O_ACCMODE) != O_RDONLY)
		return -EACCES;
	if (!(s = malloc(sizeof(*s))))
		return -ENOMEM;
	fill(s);
	if (!(*out = file_new(&memstats_ops, flags, s))) {
		free(s);
		return -ENOMEM;
	}
	return 0;
}
