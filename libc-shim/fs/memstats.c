/* /dev/memstats and /dev/irqstats: text snapshots, taken at open, of the memory figures (mm_stats, malloc's) and of device interrupts per CPU. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <skiff/irq.h>
#include <skiff/mm.h>
#include "malloc/malloc_stats.h"
#include "memstats.h"
#include "vfs.h"

#define TEXT_MAX 512

struct snapshot {
	size_t len;
	char text[TEXT_MAX];
};

static void set_len(struct snapshot *s, int n)
{
	s->len = n < 0 ? 0 : (size_t)n < sizeof(s->text) ? (size_t)n : sizeof(s->text) - 1;
}

/* One "name value" line per figure, all in bytes. */
static void fill_mem(struct snapshot *s)
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
	set_len(s, n);
}

/* "cpuN count" for each CPU up: the device interrupts it has handled. */
static void fill_irq(struct snapshot *s)
{
	uint64_t counts[16];
	int ncpu = irq_cpu_counts(counts, 16), n = 0;

	for (int i = 0; i < ncpu && n >= 0 && (size_t)n < sizeof(s->text); i++)
		n += snprintf(s->text + n, sizeof(s->text) - (size_t)n, "cpu%d %llu\n", i,
			      (unsigned long long)counts[i]);
	set_len(s, n);
}

static const struct {
	const char *name;
	ino_t ino;
	void (*fill)(struct snapshot *s);
} files[STATFILES] = {
	{ "memstats", STATFILE_INO, fill_mem },
	{ "irqstats", STATFILE_INO + 1, fill_irq },
};

int statfile_index(const char *name)
{
	for (int i = 0; i < STATFILES; i++)
		if (strcmp(name, files[i].name) == 0)
			return i;
	return -1;
}

const char *statfile_name(int i)
{
	return files[i].name;
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

int statfile_stat(int i, struct stat *st)
{
	memset(st, 0, sizeof(*st));
	st->st_mode = S_IFREG | 0444;
	st->st_dev = VFS_DEV_DEVFS;
	st->st_ino = files[i].ino;
	st->st_nlink = 1;
	st->st_blksize = 4096;
	return 0;
}

static int m_fstat(struct file *f, struct stat *st)
{
	statfile_stat(f->handle, st);
	st->st_size = (off_t)((struct snapshot *)f->priv)->len;
	return 0;
}

static int m_close(struct file *f)
{
	free(f->priv);
	return 0;
}

static const struct file_ops statfile_ops = {
	.pread = m_pread,
	.fstat = m_fstat,
	.close = m_close,
};

int statfile_open(int i, int flags, struct file **out)
{
	struct snapshot *s;

	if (flags & O_DIRECTORY)
		return -ENOTDIR;
	if ((flags & O_ACCMODE) != O_RDONLY)
		return -EACCES;
	if (!(s = malloc(sizeof(*s))))
		return -ENOMEM;
	files[i].fill(s);
	if (!(*out = file_new(&statfile_ops, flags, s))) {
		free(s);
		return -ENOMEM;
	}
	(*out)->handle = i;
	return 0;
}
