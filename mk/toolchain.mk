# Toolchain and flags: freestanding x86-64, no red zone, no PIC, section GC.
CC      := gcc
LD      := ld
AR      := ar
OBJCOPY := objcopy
STRIP   := strip
NM      := nm
GCC_INC := $(shell $(CC) -print-file-name=include)
LIBGCC  := $(shell $(CC) -print-libgcc-file-name)

# Common to every object that goes into an image.
IMAGE_CFLAGS := -O2 -g -std=gnu11 -ffreestanding -fno-pic -fno-pie \
	-mno-red-zone -mcmodel=small \
	-fstack-protector-strong -mstack-protector-guard=global -fno-omit-frame-pointer -mno-omit-leaf-frame-pointer \
	-fno-asynchronous-unwind-tables -ffunction-sections -fdata-sections \
	-fno-common

# Our own code is held to -Werror.
WARN_CFLAGS := -Wall -Wextra -Werror

# Kernel: no FPU/SSE code so interrupts need not save it; no libc headers.
KERNEL_CFLAGS := $(IMAGE_CFLAGS) $(WARN_CFLAGS) -mgeneral-regs-only \
	-nostdinc -isystem $(GCC_INC) -I$(ROOT)/include -I$(ROOT)/kernel

# Code built against newlib (libc-shim, apps): newlib headers first.
NEWLIB_INC = $(NEWLIB_DIR)/include
LIBC_CPPFLAGS = -nostdinc -isystem $(ROOT)/libc-shim/include \
	-isystem $(NEWLIB_INC) -isystem $(GCC_INC) \
	-D_POSIX_THREADS=1 -D_POSIX_TIMEOUTS=1 -D_UNIX98_THREAD_MUTEX_ATTRIBUTES=1 \
	-DFD_SETSIZE=1024 -D__skiff__=1 -D__DYNAMIC_REENT__
SHIM_CFLAGS = $(IMAGE_CFLAGS) $(WARN_CFLAGS) $(LIBC_CPPFLAGS) -I$(ROOT)/include
# Apps may use skiff's own API (<skiff/*.h>) besides POSIX. A call to an undeclared
# function is an error: it would be an implicit int function, and one returning anything
# else (a long double, a pointer) gives garbage.
# Hosted, as on Linux (no -ffreestanding): an app's calls to malloc, memcpy, strlen, sqrt...
# are the C library's, and gcc may use what it knows of them (-ffreestanding implies
# -fno-builtin, which cost STREAM's scale loop a reload of its constant per element).
APP_CFLAGS = $(filter-out -ffreestanding,$(IMAGE_CFLAGS)) $(LIBC_CPPFLAGS) -I$(ROOT)/include \
	-Werror=implicit-function-declaration

IMAGE_LDFLAGS := -nostdlib -static -z max-page-size=4096 -z noexecstack \
	--gc-sections --build-id=none -T $(ROOT)/kernel/kernel.ld
