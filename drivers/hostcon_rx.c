/* Parse the host's stdin frames (include/skiff/hostcon.h) from a byte stream cut at any point. */
#include "hostcon_rx.h"

size_t hostcon_rx_feed(struct hostcon_rx *rx, const uint8_t *in, size_t len, uint8_t *out,
		       size_t *out_len)
{
	size_t pos = 0, got = 0, room = *out_len;

	while (pos < len && !rx->eof && !rx->bad) {
		if (rx->hdr_have < HOSTCON_HEADER) {
			rx->hdr[rx->hdr_have++] = in[pos++];
			if (rx->hdr_have < HOSTCON_HEADER)
				continue;
			rx->data_left = rx->hdr[1] | (uint32_t)rx->hdr[2] << 8 |
					(uint32_t)rx->hdr[3] << 16;
			if (rx->hdr[0] == HOSTCON_STDIN_EOF)
				rx->eof = 1;
			else if (rx->hdr[0] != HOSTCON_STDIN)
				rx->bad = 1;
			if (rx->data_left == 0 || rx->eof || rx->bad)
				rx->hdr_have = 0;
			continue;
		}
		if (got == room)
			break;
		size_t take = len - pos;
		if (take > rx->data_left)
			take = rx->data_left;
		if (take > room - got)
			take = room - got;
		__builtin_memcpy(out + got, in + pos, take);
		got += take;
		pos += take;
		rx->data_left -= (uint32_t)take;
		if (rx->data_left == 0)
			rx->hdr_have = 0;
	}
	*out_len = got;
	return pos;
}
