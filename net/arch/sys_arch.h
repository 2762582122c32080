/* lwIP OS types for skiff: semaphores, mutexes, mailboxes and threads on kernel primitives. */
#ifndef SKIFF_LWIP_ARCH_SYS_ARCH_H
#define SKIFF_LWIP_ARCH_SYS_ARCH_H

#include <skiff/sched.h>
#include <skiff/sync.h>

/* Objects live inside the lwIP structure that names them; `valid` tells
 * an initialised one from a zeroed or freed one. */
typedef struct {
	struct sk_sem sem;
	int valid;
} sys_sem_t;

typedef struct {
	struct sk_mutex mutex;
	int valid;
} sys_mutex_t;

/* A bounded FIFO of pointers (sys_arch_mbox.c); NULL when invalid. */
struct sys_mbox;
typedef struct sys_mbox *sys_mbox_t;

typedef struct sk_thread *sys_thread_t;

/* SYS_ARCH_PROTECT: interrupts off (one vCPU). Nests: each level keeps its flags. */
typedef unsigned long sys_prot_t;

#define sys_sem_valid(s) ((s)->valid)
#define sys_sem_set_invalid(s) ((s)->valid = 0)
#define sys_mutex_valid(m) ((m)->valid)
#define sys_mutex_set_invalid(m) ((m)->valid = 0)
#define sys_mbox_valid(mb) (*(mb) != NULL)
#define sys_mbox_set_invalid(mb) (*(mb) = NULL)

#endif
