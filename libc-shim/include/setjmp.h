/* newlib's <setjmp.h> plus POSIX sigsetjmp/siglongjmp and _setjmp/_longjmp (no signal masks to save). */
#ifndef SKIFF_SETJMP_H
#define SKIFF_SETJMP_H

#include_next <setjmp.h>

/*
 * newlib declares these for Cygwin and RTEMS only. skiff delivers no
 * asynchronous signals and keeps no per-thread signal mask that a jump would
 * have to restore, so each is plain setjmp/longjmp. They are macros (POSIX
 * allows it for all four): setjmp must be called from the frame that is
 * jumped back to, which a wrapper function would break.
 */
#if __POSIX_VISIBLE || __XSI_VISIBLE || __MISC_VISIBLE
typedef jmp_buf sigjmp_buf;

/* newlib's x86-64 longjmp hands a 0 back as 0; POSIX says it arrives as 1. */
__attribute__((__noreturn__)) static inline void __skiff_longjmp(jmp_buf env, int val)
{
	longjmp(env, val ? val : 1);
}

#define sigsetjmp(env, savemask) ((void)(savemask), setjmp(env))
#define siglongjmp(env, val) __skiff_longjmp((env), (val))
#define _setjmp(env) setjmp(env)
#define _longjmp(env, val) __skiff_longjmp((env), (val))
#endif

#endif
