/* prctl(2): the thread-name requests (PR_SET_NAME, PR_GET_NAME); others fail with EINVAL. */
#ifndef SKIFF_SYS_PRCTL_H
#define SKIFF_SYS_PRCTL_H

#ifdef __cplusplus
extern "C" {
#endif

#define PR_SET_NAME 15
#define PR_GET_NAME 16

int prctl(int option, ...);

#ifdef __cplusplus
}
#endif

#endif
