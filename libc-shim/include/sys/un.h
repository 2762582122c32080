/* Unix-domain socket addresses (socket(AF_UNIX) fails with EAFNOSUPPORT on skiff). */
#ifndef SKIFF_SYS_UN_H
#define SKIFF_SYS_UN_H

#include <sys/socket.h>

struct sockaddr_un {
	sa_family_t sun_family;
	char sun_path[108];
};

#endif
