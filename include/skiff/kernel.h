/* skiff kernel API used by libc-shim, net and drivers: one index header. */
#ifndef SKIFF_KERNEL_H
#define SKIFF_KERNEL_H

#include <skiff/console.h>
#include <skiff/mm.h>
#include <skiff/sched.h>
#include <skiff/sync.h>
#include <skiff/clock.h>
#include <skiff/boot.h>

#endif
