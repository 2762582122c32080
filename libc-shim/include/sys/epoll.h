/* Linux's epoll on skiff's fd table: level-triggered interest sets over poll(); EPOLLET is refused (EINVAL). */
#ifndef SKIFF_SYS_EPOLL_H
#define SKIFF_SYS_EPOLL_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Event bits: Linux's numbers, equal to poll()'s for the shared ones. */
#define EPOLLIN 0x001
#define EPOLLPRI 0x002
#define EPOLLOUT 0x004
#define EPOLLERR 0x008
#define EPOLLHUP 0x010
#define EPOLLRDNORM 0x040
#define EPOLLRDBAND 0x080
#define EPOLLWRNORM 0x100
#define EPOLLWRBAND 0x200
#define EPOLLMSG 0x400
#define EPOLLRDHUP 0x2000
#define EPOLLEXCLUSIVE (1u << 28) /* accepted, no effect: one waiter per event anyway */
#define EPOLLWAKEUP (1u << 29)    /* accepted, no effect */
#define EPOLLONESHOT (1u << 30)
#define EPOLLET (1u << 31)        /* not supported: EINVAL */

#define EPOLL_CTL_ADD 1
#define EPOLL_CTL_DEL 2
#define EPOLL_CTL_MOD 3

#define EPOLL_CLOEXEC 02000000 /* accepted; there is no exec */

typedef union epoll_data {
	void *ptr;
	int fd;
	uint32_t u32;
	uint64_t u64;
} epoll_data_t;

/* Packed on x86-64, as in Linux's ABI. */
struct epoll_event {
	uint32_t events;
	epoll_data_t data;
} __attribute__((__packed__));

int epoll_create(int size);
int epoll_create1(int flags);
int epoll_ctl(int epfd, int op, int fd, struct epoll_event *event);
int epoll_wait(int epfd, struct epoll_event *events, int maxevents, int timeout);

#ifdef __cplusplus
}
#endif

#endif
