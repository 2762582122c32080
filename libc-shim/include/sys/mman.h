/* Memory mappings for skiff: anonymous memory only (no files to map yet). */
#ifndef SKIFF_SYS_MMAN_H
#define SKIFF_SYS_MMAN_H

#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

#define PROT_NONE  0x0
#define PROT_READ  0x1
#define PROT_WRITE 0x2
#define PROT_EXEC  0x4

#define MAP_SHARED    0x01
#define MAP_PRIVATE   0x02
#define MAP_FIXED     0x10
#define MAP_ANONYMOUS 0x20
#define MAP_ANON      MAP_ANONYMOUS
#define MAP_NORESERVE 0x4000 /* accepted, ignored */
#define MAP_POPULATE  0x8000 /* accepted, ignored: memory is always there */

#define MAP_FAILED ((void *)-1)

#define MADV_NORMAL     0
#define MADV_RANDOM     1
#define MADV_SEQUENTIAL 2
#define MADV_WILLNEED   3
#define MADV_DONTNEED   4 /* anonymous pages read back as zeros */
#define POSIX_MADV_NORMAL     MADV_NORMAL
#define POSIX_MADV_RANDOM     MADV_RANDOM
#define POSIX_MADV_SEQUENTIAL MADV_SEQUENTIAL
#define POSIX_MADV_WILLNEED   MADV_WILLNEED
#define POSIX_MADV_DONTNEED   MADV_DONTNEED

#define MS_ASYNC      1
#define MS_INVALIDATE 2
#define MS_SYNC       4

/* MAP_ANONYMOUS with MAP_PRIVATE or MAP_SHARED (the same thing with one
 * process), fd -1, no MAP_FIXED: zeroed, page-aligned memory. Anything else
 * fails with ENOSYS (file mappings) or EINVAL. */
void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t offset);
/* Whole mappings and pieces at either end are given back; a hole punched
 * in the middle stays allocated until the rest of the mapping goes. */
int munmap(void *addr, size_t len);
/* One address space, all of it read-write: protections are not enforced. */
int mprotect(void *addr, size_t len, int prot);
int madvise(void *addr, size_t len, int advice);
int posix_madvise(void *addr, size_t len, int advice);
int msync(void *addr, size_t len, int flags);
/* Nothing is ever paged out: these succeed. */
int mlock(const void *addr, size_t len);
int munlock(const void *addr, size_t len);

#ifdef __cplusplus
}
#endif

#endif
