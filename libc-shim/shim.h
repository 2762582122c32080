/* libc-shim internals: what each file provides to the others, grouped by file. */
#ifndef SKIFF_SHIM_H
#define SKIFF_SHIM_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include <skiff/kernel.h>

struct _reent;

/* crt.c */
extern struct sk_thread *shim_main_thread; /* runs app_entry() and main() */

/* environ.c: environ from the defaults and the env= kernel arguments (before main). */
void shim_environ_init(void);
/* hostname.c: the host name into buf[size] (truncated, NUL-terminated); its full length. */
size_t shim_hostname(char *buf, size_t size);
/* workdir.c: chdir to the workdir= kernel argument (creating it), or refuse the boot. */
void shim_workdir_init(void);

/* log_once.c: "skiff: <what>" on the log stream, once per distinct key
 * (keys and names are compared by content and kept: pass string literals). */
void shim_log_once(const char *key, const char *what);
/* modes.c: the current umask (for file systems that create files). */
mode_t shim_umask_get(void);
/* Log "skiff: NAME() is not supported (ERRNAME)" once, set errno, return -1. */
int shim_unsupported(const char *name, int err, const char *errname);

/* time.c */
/* Convert an absolute time on clock clk (CLOCK_REALTIME or CLOCK_MONOTONIC)
 * to a kernel deadline (monotonic ns, never 0). Returns 0 or EINVAL. */
int shim_abstime_to_deadline(clockid_t clk, const struct timespec *abs,
			     uint64_t *deadline_ns);

/* handles.c: 32-bit handles for the pthread types newlib makes integers.
 * Handle 0 and 0xffffffff (the static initializers) never name an object. */
#define HANDLE_CHUNK 1024u
#define HANDLE_CHUNKS 256u
#define HANDLE_UNSET 0xffffffffu
struct handle_table {
	struct sk_mutex lock;           /* serialises alloc/free/resolve-create */
	void **chunks[HANDLE_CHUNKS];   /* written once under lock, read freely */
	uint32_t used;                  /* handles ever handed out (lock) */
	uint32_t free_head;             /* most recently freed handle, 0 if none (lock) */
};
#define HANDLE_TABLE_INIT { SK_MUTEX_INIT, { 0 }, 0, 0 }
uint32_t handle_alloc(struct handle_table *t, void *obj); /* 0 when full / no memory */
void *handle_get(struct handle_table *t, uint32_t h);     /* NULL if not live */
void handle_free(struct handle_table *t, uint32_t h);
/* Object named by *h; if *h is 0 or HANDLE_UNSET (statically initialized),
 * first create one with create() and store its handle. NULL on failure. */
void *handle_resolve(struct handle_table *t, uint32_t *h, void *(*create)(void));

/* pthread.c */
#define SHIM_THREAD_STACK_DEFAULT (64 * 1024) /* the kernel's default too */
struct _pthread_cleanup_context;
struct key_slot;
struct pthread_rec {
	uint32_t id;                  /* pthread_t handle */
	struct _reent *reent;         /* own newlib state; NULL = newlib's global */
	void *(*start)(void *);
	void *arg;
	void *retval;
	int created;                  /* by pthread_create (else adopted) */
	int refs;                     /* running thread + joiner (atomic) */
	int detached;                 /* atomic */
	int joining;                  /* a joiner has claimed it (atomic) */
	struct sk_sem exited;         /* upped once when the thread finishes */
	struct key_slot *keys;        /* pthread_key.c: values, lazily allocated */
	struct _pthread_cleanup_context *cleanup; /* pthread_cleanup_push stack */
	struct pthread_rec *next_dead; /* deferred-free list (atomic push) */
	struct sk_thread *thread;     /* its kernel thread (atomic; NULL until known) */
};
/* The calling thread's record, created on first use for threads that did
 * not come from pthread_create (main, kernel threads). NULL if no memory. */
struct pthread_rec *shim_pthread_current(void);
/* The kernel thread of a live pthread_t, or NULL. */
struct sk_thread *shim_pthread_kthread(pthread_t thread);

/* pthread_key.c */
void shim_keys_run_destructors(struct pthread_rec *self);

/* pthread_mutex.c: the kernel mutex behind a pthread mutex, or NULL. */
struct sk_mutex *shim_mutex_get(uint32_t *mutex);

#endif
