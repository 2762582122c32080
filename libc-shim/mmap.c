/* mmap/munmap on the heap: each mapping is one memalign'd block; a file's is a copy of it (MAP_SHARED writes it back at msync and munmap). */
#include <errno.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "shim.h"

struct mapping {
	void *block;            /* what memalign returned: freed when empty */
	uintptr_t start, end;   /* still-mapped part, page-aligned */
	int fd;                 /* MAP_SHARED of a file: a dup of its fd, else -1 */
	off_t offset;           /* the file offset of block */
	struct mapping *next;
};

static struct sk_mutex maps_lock = SK_MUTEX_INIT;
static struct mapping *maps; /* (maps_lock) */

static size_t page_round_up(size_t n)
{
	return (n + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
}

/* W^X: nothing becomes executable at run time; asking for it fails loudly. */
static int refuse_exec(int prot, const char *why)
{
	if (!(prot & PROT_EXEC))
		return 0;
	shim_log_once(why, why);
	errno = ENOTSUP;
	return -1;
}

/* Fill a new mapping from file fd at m->offset; MAP_SHARED keeps a dup of fd to write back. */
static int map_file(struct mapping *m, int fd, size_t len, int prot, int sharing)
{
	int fl = fcntl(fd, F_GETFL);
	if (fl < 0)
		return -1; /* EBADF */
	if ((fl & O_ACCMODE) == O_WRONLY ||
	    (sharing == MAP_SHARED && (prot & PROT_WRITE) && (fl & O_ACCMODE) != O_RDWR)) {
		errno = EACCES;
		return -1;
	}
	size_t done = 0;
	while (done < len) {
		ssize_t n = pread(fd, (char *)m->block + done, len - done, m->offset + (off_t)done);
		if (n < 0) {
			if (errno == ESPIPE || errno == EINVAL)
				errno = ENODEV; /* a socket, pipe or console */
			return -1;
		}
		if (n == 0)
			break; /* past the end: zeros, as the kernel's partial last page */
		done += (size_t)n;
	}
	if (sharing == MAP_SHARED && (m->fd = fcntl(fd, F_DUPFD_CLOEXEC, 0)) < 0)
		return -1;
	return 0;
}

void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t offset)
{
	(void)addr; /* a hint only */
	if (refuse_exec(prot, "mmap(PROT_EXEC): skiff maps no memory executable "
			"at run time (W^X): ENOTSUP"))
		return MAP_FAILED;
	int sharing = flags & (MAP_SHARED | MAP_PRIVATE);
	int file = !(flags & MAP_ANONYMOUS);
	if (len == 0 || len > SIZE_MAX / 2 || (flags & MAP_FIXED) || (!file && fd != -1) ||
	    (!file && offset != 0) || offset < 0 || (offset & (PAGE_SIZE - 1)) || sharing == 0 ||
	    sharing == (MAP_SHARED | MAP_PRIVATE)) {
		errno = EINVAL;
		return MAP_FAILED;
	}
	len = page_round_up(len);
	struct mapping *m = malloc(sizeof(*m));
	void *block = m ? memalign(PAGE_SIZE, len) : NULL;
	if (!block) {
		free(m);
		errno = ENOMEM;
		return MAP_FAILED;
	}
	memset(block, 0, len);
	m->block = block;
	m->start = (uintptr_t)block;
	m->end = m->start + len;
	m->fd = -1;
	m->offset = offset;
	if (file && map_file(m, fd, len, prot, sharing) < 0) {
		free(block);
		free(m);
		return MAP_FAILED;
	}
	sk_mutex_lock(&maps_lock);
	m->next = maps;
	maps = m;
	sk_mutex_unlock(&maps_lock);
	return block;
}

/* A MAP_SHARED mapping's bytes back into its file, up to the file's end (no growth). */
static int write_back(struct mapping *m, uintptr_t from, uintptr_t to)
{
	struct stat st;
	if (m->fd < 0 || fstat(m->fd, &st))
		return 0;
	off_t off = m->offset + (off_t)(from - (uintptr_t)m->block);
	if (off >= st.st_size)
		return 0;
	size_t n = to - from;
	if ((off_t)n > st.st_size - off)
		n = (size_t)(st.st_size - off);
	return pwrite(m->fd, (void *)from, n, off) == (ssize_t)n ? 0 : -1;
}

int msync(void *addr, size_t len, int flags)
{
	uintptr_t lo = (uintptr_t)addr, hi = lo + len;
	int r = 0;

	if ((lo & (PAGE_SIZE - 1)) || (flags & MS_SYNC && flags & MS_ASYNC)) {
		errno = EINVAL;
		return -1;
	}
	sk_mutex_lock(&maps_lock);
	for (struct mapping *m = maps; m; m = m->next) {
		uintptr_t from = lo > m->start ? lo : m->start;
		uintptr_t to = hi < m->end ? hi : m->end;
		if (from < to && write_back(m, from, to))
			r = -1;
	}
	sk_mutex_unlock(&maps_lock);
	return r;
}

int munmap(void *addr, size_t len)
{
	uintptr_t lo = (uintptr_t)addr;
	uintptr_t hi = lo + page_round_up(len);
	struct mapping *gone = NULL;

	if ((lo & (PAGE_SIZE - 1)) || len == 0 || hi < lo) {
		errno = EINVAL;
		return -1;
	}
	sk_mutex_lock(&maps_lock);
	for (struct mapping **p = &maps; *p; p = &(*p)->next) {
		struct mapping *m = *p;
		if (hi <= m->start || lo >= m->end)
			continue;
		(void)write_back(m, lo > m->start ? lo : m->start, hi < m->end ? hi : m->end);
		if (lo <= m->start && hi >= m->end) {
			*p = m->next;
			gone = m;
			break;
		}
		if (lo <= m->start)
			m->start = hi;
		else if (hi >= m->end)
			m->end = lo;
		break; /* a hole in the middle: keep it all */
	}
	sk_mutex_unlock(&maps_lock);
	if (gone) {
		if (gone->fd >= 0)
			close(gone->fd);
		free(gone->block);
		free(gone);
	}
	return 0; /* unmapping what is not mapped is not an error */
}

/* Mappings stay read-write: only the W^X refusal is enforced here. */
int mprotect(void *addr, size_t len, int prot)
{
	(void)addr;
	(void)len;
	if (refuse_exec(prot, "mprotect(PROT_EXEC): skiff maps no memory "
			"executable at run time (W^X): ENOTSUP"))
		return -1;
	if (prot != (PROT_READ | PROT_WRITE))
		shim_log_once("mprotect-noop", "mprotect(): read-only and no-access protections "
			      "are not enforced; the range stays read-write");
	return 0;
}

/* MADV_DONTNEED makes (the mapped part of) the range read back as zeros. */
int madvise(void *addr, size_t len, int advice)
{
	uintptr_t lo = (uintptr_t)addr;
	uintptr_t hi = lo + len;

	if (advice != MADV_DONTNEED || hi <= lo)
		return 0;
	sk_mutex_lock(&maps_lock);
	for (struct mapping *m = maps; m; m = m->next) {
		uintptr_t from = lo > m->start ? lo : m->start;
		uintptr_t to = hi < m->end ? hi : m->end;
		if (from < to)
			memset((void *)from, 0, to - from);
	}
	sk_mutex_unlock(&maps_lock);
	return 0;
}

int posix_madvise(void *addr, size_t len, int advice)
{
	(void)addr;
	(void)len;
	(void)advice;
	return 0; /* advisory only: no zeroing here (POSIX semantics) */
}

int mlock(const void *addr, size_t len)
{
	(void)addr;
	(void)len;
	return 0;
}

int munlock(const void *addr, size_t len)
{
	(void)addr;
	(void)len;
	return 0;
}
