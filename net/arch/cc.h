/* lwIP compiler/platform glue for skiff: newlib types, errno, timeval, asserts, random. */
#ifndef SKIFF_LWIP_ARCH_CC_H
#define SKIFF_LWIP_ARCH_CC_H

#include <stdint.h>
#include <stddef.h>
#include <limits.h>
#include <sys/types.h>
#include <sys/time.h>

/* newlib defines BYTE_ORDER (machine/endian.h); lwIP must not. */

/* lwIP would typedef ssize_t as int without this; newlib's is long. */
#ifndef SSIZE_MAX
#define SSIZE_MAX LONG_MAX
#endif

/* errno values and the errno variable come from newlib's <errno.h>. */
#define LWIP_ERRNO_STDINCLUDE 1
#define LWIP_ERRNO_INCLUDE <errno.h>

/* struct timeval from <sys/time.h>. */
#define LWIP_TIMEVAL_PRIVATE 0

/* printf formats for lwIP's debug output (LP64). */
#define X8_F "02x"
#define U16_F "hu"
#define S16_F "hd"
#define X16_F "hx"
#define U32_F "u"
#define S32_F "d"
#define X32_F "x"
#define SZT_F "zu"

/* Byte-order swaps compile to single instructions. */
#define lwip_htons(x) __builtin_bswap16((uint16_t)(x))
#define lwip_htonl(x) __builtin_bswap32((uint32_t)(x))

/* Diagnostics go to the kernel log; a failed assertion is a panic. */
void net_diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void net_assert_fail(const char *msg, const char *file, int line)
	__attribute__((noreturn));
#define LWIP_PLATFORM_DIAG(x) do { net_diag x; } while (0)
#define LWIP_PLATFORM_ASSERT(x) net_assert_fail((x), __FILE__, __LINE__)

/* Random numbers for TCP ISNs, DHCP xids, DNS ids and ephemeral ports. */
uint32_t net_rand(void);
#define LWIP_RAND() net_rand()

#endif
