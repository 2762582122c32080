/* errno values for driver code (built without libc headers): newlib's numbering, returned negated. */
#ifndef SKIFF_DRIVERS_KERRNO_H
#define SKIFF_DRIVERS_KERRNO_H

#define EIO       5
#define EAGAIN    11
#define ENOMEM    12
#define EBUSY     16
#define ENODEV    19
#define EINVAL    22
#define ENOSPC    28
#define EROFS     30
#define ENOTSUP   134
#define ENETDOWN  115
#define ETIMEDOUT 116
#define EMSGSIZE  122

#endif
