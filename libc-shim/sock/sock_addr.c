/* Socket addresses: the app's Linux-layout sockaddr_in <-> lwIP's BSD-layout one (sin_len first). */
#include <errno.h>
#include <string.h>

#include "sock_internal.h"

int sock_addr_in(const void *px, unsigned int len, struct sockaddr_in *out)
{
	struct px_sockaddr_in in;

	if (!px || len < sizeof(uint16_t))
		return -EINVAL;
	memset(&in, 0, sizeof(in));
	memcpy(&in, px, len < sizeof(in) ? len : sizeof(in));
	memset(out, 0, sizeof(*out));
	out->sin_len = sizeof(*out);
	if (in.sin_family == PX_AF_UNSPEC) {
		out->sin_family = AF_UNSPEC;
		return 0;
	}
	if (in.sin_family != PX_AF_INET)
		return -EAFNOSUPPORT;
	if (len < sizeof(in))
		return -EINVAL;
	out->sin_family = AF_INET;
	out->sin_port = in.sin_port;
	out->sin_addr.s_addr = in.sin_addr;
	return 0;
}

void sock_addr_out(const struct sockaddr *lw, void *px, unsigned int *len)
{
	const struct sockaddr_in *a = (const struct sockaddr_in *)lw;
	struct px_sockaddr_in out;

	memset(&out, 0, sizeof(out));
	out.sin_family = PX_AF_INET;
	out.sin_port = a->sin_port;
	out.sin_addr = a->sin_addr.s_addr;
	memcpy(px, &out, *len < sizeof(out) ? *len : sizeof(out));
	*len = sizeof(out);
}
