/* The host-to-guest half of include/skiff/hostcon.h's protocol: stdin frames out of a byte stream cut anywhere. */
#ifndef SKIFF_DRIVERS_HOSTCON_RX_H
#define SKIFF_DRIVERS_HOSTCON_RX_H

#include <stddef.h>
#include <stdint.h>
#include <skiff/hostcon.h>

/* Portable (tests/unit/test_hostcon_rx.c runs it on the host). Zeroed = start of stream. */
struct hostcon_rx {
	uint8_t hdr[HOSTCON_HEADER];
	unsigned hdr_have;      /* header bytes of the current frame seen so far */
	uint32_t data_left;     /* stdin bytes of the current frame still to come */
	int eof;                /* a HOSTCON_STDIN_EOF frame came: nothing after it counts */
	int bad;                /* a frame of another kind: the stream cannot be trusted */
};

/* Read frames from in[0, len): copy stdin bytes to out (at most *out_len; on
 * return *out_len is how many were copied). Stops early at end of file, at a
 * bad frame, or when out is full. Returns how many bytes of in it consumed. */
size_t hostcon_rx_feed(struct hostcon_rx *rx, const uint8_t *in, size_t len, uint8_t *out,
		       size_t *out_len);

#endif
