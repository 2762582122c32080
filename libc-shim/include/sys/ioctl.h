/* ioctl() for files and sockets: FIONBIO and FIONREAD (Linux numbers). */
#ifndef SKIFF_SYS_IOCTL_H
#define SKIFF_SYS_IOCTL_H

#ifdef __cplusplus
extern "C" {
#endif

#define FIONREAD 0x541b
#define FIONBIO 0x5421

int ioctl(int fd, unsigned long request, ...);

#ifdef __cplusplus
}
#endif

#endif
