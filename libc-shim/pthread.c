/* POSIX threads on kernel threads: create, join, detach, exit, self, attrs.
 * Each pthread owns a newlib struct _reent (errno, strtok, rand...) that
 * __getreent returns while it runs (on any CPU); stdin/stdout/stderr stay newlib's
 * global ones so all threads share one buffer and lock per stream.
 *
 * A record has two owners: the running thread (released from the kernel's
 * reaper, once its stack is no longer needed) and its joiner (released by
 * join or detach). The last release queues it on dead_records; records are
 * freed from there by the next create/join/detach, in ordinary thread
 * context and never while the thread's reent may still be current. */
#include <errno.h>
#include <pthread.h>
#include <reent.h>
#include <stdlib.h>
#include <string.h>

#include "shim.h"

/* newlib internals (exported): set up the global stdio streams; allocate
 * a reent's signal-handler table. */
extern void __sinit(struct _reent *r);
extern int _init_signal_r(struct _reent *r);

static struct handle_table thread_handles = HANDLE_TABLE_INIT;
static struct pthread_rec *dead_records; /* atomic push, atomic take-all */
static int live_threads;                 /* created, not finished (atomic) */
static struct sk_mutex live_lock = SK_MUTEX_INIT;
static struct sk_cond live_zero;         /* broadcast when live_threads hits 0 */

static void record_free(struct pthread_rec *rec)
{
	handle_free(&thread_handles, rec->id);
	if (rec->reent) {
		_reclaim_reent(rec->reent);
		free(rec->reent);
	}
	free(rec->keys);
	free(rec);
}

static void free_dead_records(void)
{
	struct pthread_rec *rec = __atomic_exchange_n(&dead_records, NULL, __ATOMIC_ACQUIRE);

	while (rec) {
		struct pthread_rec *next = rec->next_dead;
		record_free(rec);
		rec = next;
	}
}

/* Drop one owner; safe from any context (no locks, no allocator). */
static void record_release(struct pthread_rec *rec)
{
	if (__atomic_sub_fetch(&rec->refs, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	rec->next_dead = __atomic_load_n(&dead_records, __ATOMIC_RELAXED);
	while (!__atomic_compare_exchange_n(&dead_records, &rec->next_dead, rec, 1,
					    __ATOMIC_RELEASE, __ATOMIC_RELAXED))
		;
}

/* Kernel hook: t has finished and its stack is about to go. */
static void thread_reaper(struct sk_thread *t)
{
	struct pthread_rec *rec = sched_get_user(t);

	if (rec)
		record_release(rec);
}

static struct pthread_rec *record_new(int refs, int detached)
{
	struct pthread_rec *rec = calloc(1, sizeof(*rec));

	if (!rec)
		return NULL;
	rec->refs = refs;
	rec->detached = detached;
	sk_sem_init(&rec->exited, 0);
	rec->id = handle_alloc(&thread_handles, rec);
	if (!rec->id) {
		free(rec);
		return NULL;
	}
	sched_thread_reaper = thread_reaper;
	return rec;
}

struct pthread_rec *shim_pthread_current(void)
{
	struct sk_thread *self = sched_current();
	struct pthread_rec *rec = sched_get_user(self);

	if (rec)
		return rec;
	/* main() or a kernel thread: adopt it, detached, keeping its reent. */
	rec = record_new(1, 1);
	if (rec) {
		rec->thread = self;
		sched_set_user(self, rec);
	}
	return rec;
}

static void reent_no_cleanup(struct _reent *r)
{
	(void)r;
}

/* A fresh reent that shares what POSIX makes process-wide: the stdio
 * streams (marking it set up keeps newlib from giving the thread its own
 * stdin/stdout/stderr) and the signal dispositions. */
static void reent_init(struct _reent *r)
{
	struct _reent *global = _GLOBAL_REENT;

	if (!global->__sdidinit)
		__sinit(global);
	if (!global->_sig_func)
		_init_signal_r(global); /* on failure the thread gets its own */
	_REENT_INIT_PTR(r);
	r->_stdin = global->_stdin;
	r->_stdout = global->_stdout;
	r->_stderr = global->_stderr;
	r->__cleanup = reent_no_cleanup;
	r->__sdidinit = 1;
	r->_sig_func = global->_sig_func;
}

static void run_cleanup_handlers(struct pthread_rec *self)
{
	while (self->cleanup) {
		struct _pthread_cleanup_context *c = self->cleanup;
		self->cleanup = c->_previous;
		c->_routine(c->_arg);
	}
}

static void thread_finish(struct pthread_rec *self, void *retval) __attribute__((noreturn));
static void thread_finish(struct pthread_rec *self, void *retval)
{
	run_cleanup_handlers(self);
	shim_keys_run_destructors(self);
	self->retval = retval;
	if (__atomic_sub_fetch(&live_threads, 1, __ATOMIC_ACQ_REL) == 0) {
		sk_mutex_lock(&live_lock);
		sk_cond_broadcast(&live_zero);
		sk_mutex_unlock(&live_lock);
	}
	sk_sem_up(&self->exited);
	sched_exit(); /* the reaper drops this thread's reference */
}

static void thread_start(void *arg)
{
	struct pthread_rec *self = arg;
	struct sk_thread *t = sched_current();

	sched_set_user(t, self);
	sched_set_reent(t, self->reent);
	__atomic_store_n(&self->thread, t, __ATOMIC_RELEASE);
	thread_finish(self, self->start(self->arg));
}

int pthread_create(pthread_t *thread, const pthread_attr_t *attr,
		   void *(*start)(void *), void *arg)
{
	size_t stack = SHIM_THREAD_STACK_DEFAULT;
	int detached = 0;

	if (attr) {
		if (!attr->is_initialized)
			return EINVAL;
		if (attr->stacksize > 0)
			stack = (size_t)attr->stacksize;
		detached = attr->detachstate == PTHREAD_CREATE_DETACHED;
	}
	free_dead_records();
	struct _reent *reent = malloc(sizeof(*reent));
	struct pthread_rec *rec = reent ? record_new(detached ? 1 : 2, detached) : NULL;
	if (!rec) {
		free(reent);
		return EAGAIN;
	}
	reent_init(reent);
	rec->reent = reent;
	rec->start = start;
	rec->arg = arg;
	rec->created = 1;
	*thread = rec->id; /* before it runs: it may read where we store it */
	__atomic_add_fetch(&live_threads, 1, __ATOMIC_ACQ_REL);
	(void)sched_cpus_online(); /* the first pthread starts the other CPUs (--cpus N) */
	struct sk_thread *t = sched_create("pthread", thread_start, rec, stack);
	if (t)
		__atomic_store_n(&rec->thread, t, __ATOMIC_RELEASE); /* it may have run already */
	if (!t) {
		__atomic_sub_fetch(&live_threads, 1, __ATOMIC_ACQ_REL);
		rec->refs = 1;
		record_release(rec);
		free_dead_records();
		return EAGAIN;
	}
	return 0;
}

int pthread_join(pthread_t thread, void **retval)
{
	struct pthread_rec *rec = handle_get(&thread_handles, thread);
	int unclaimed = 0;

	if (!rec)
		return ESRCH;
	if (rec == sched_get_user(sched_current()))
		return EDEADLK;
	if (__atomic_load_n(&rec->detached, __ATOMIC_ACQUIRE) ||
	    !__atomic_compare_exchange_n(&rec->joining, &unclaimed, 1, 0,
					 __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
		return EINVAL;
	sk_sem_down(&rec->exited);
	if (retval)
		*retval = rec->retval;
	record_release(rec);
	free_dead_records();
	return 0;
}

int pthread_detach(pthread_t thread)
{
	struct pthread_rec *rec = handle_get(&thread_handles, thread);
	int joinable = 0;

	if (!rec)
		return ESRCH;
	if (__atomic_load_n(&rec->joining, __ATOMIC_ACQUIRE) ||
	    !__atomic_compare_exchange_n(&rec->detached, &joinable, 1, 0,
					 __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
		return EINVAL;
	record_release(rec);
	free_dead_records();
	return 0;
}

void pthread_exit(void *retval)
{
	struct pthread_rec *self = shim_pthread_current();

	if (self && self->created)
		thread_finish(self, retval);
	if (self) {
		run_cleanup_handlers(self);
		shim_keys_run_destructors(self);
	}
	if (sched_current() != shim_main_thread)
		sched_exit(); /* an adopted kernel thread */
	/* main: the process lives on until the last thread is gone. */
	sk_mutex_lock(&live_lock);
	while (__atomic_load_n(&live_threads, __ATOMIC_ACQUIRE) != 0)
		sk_cond_wait_until(&live_zero, &live_lock, 0);
	sk_mutex_unlock(&live_lock);
	exit(0);
}

struct sk_thread *shim_pthread_kthread(pthread_t thread)
{
	struct pthread_rec *rec = handle_get(&thread_handles, thread);
	return rec ? __atomic_load_n(&rec->thread, __ATOMIC_ACQUIRE) : NULL;
}

pthread_t pthread_self(void)
{
	struct pthread_rec *self = shim_pthread_current();

	return self ? self->id : 0;
}

int pthread_equal(pthread_t a, pthread_t b)
{
	return a == b;
}

void _pthread_cleanup_push(struct _pthread_cleanup_context *c,
			   void (*routine)(void *), void *arg)
{
	struct pthread_rec *self = shim_pthread_current();

	c->_routine = routine;
	c->_arg = arg;
	c->_canceltype = 0;
	c->_previous = self ? self->cleanup : NULL;
	if (self)
		self->cleanup = c;
}

void _pthread_cleanup_pop(struct _pthread_cleanup_context *c, int execute)
{
	struct pthread_rec *self = shim_pthread_current();

	if (self && self->cleanup == c)
		self->cleanup = c->_previous;
	if (execute)
		c->_routine(c->_arg);
}

/* No fork(), so there is nothing to prepare for. */
int pthread_atfork(void (*prepare)(void), void (*parent)(void), void (*child)(void))
{
	(void)prepare;
	(void)parent;
	(void)child;
	return 0;
}

int sched_yield(void)
{
	sched_relinquish();
	return 0;
}
