/* The host's wall time from skiff run's time service on COM2 (tools/skiffpy/timeserve.py). */
#include <skiff/clock.h>
#include "clock_internal.h"
#include "cpu.h"

#define COM2 0x2f8
#define REG_DATA 0
#define REG_IER 1
#define REG_FCR 2
#define REG_LCR 3
#define REG_LSR 5
#define REG_SCRATCH 7
#define LSR_DATA 0x01
#define REPLY_BYTES 11    /* 0x5a 0xa5, the request's sequence byte, 8 bytes of ns (little-endian) */

static int state;         /* 0 not probed, 1 present, -1 absent */
static uint8_t seq;

/* A UART answers its scratch register; an empty port reads 0xff. */
static int probe(void)
{
	io_out8(COM2 + REG_SCRATCH, 0x5a);
	if (io_in8(COM2 + REG_SCRATCH) != 0x5a)
		return -1;
	io_out8(COM2 + REG_SCRATCH, 0xa5);
	if (io_in8(COM2 + REG_SCRATCH) != 0xa5)
		return -1;
	io_out8(COM2 + REG_IER, 0);          /* polled: no interrupts */
	io_out8(COM2 + REG_LCR, 0x80);       /* divisor 1 (the rate is not emulated) */
	io_out8(COM2 + REG_DATA, 1);
	io_out8(COM2 + REG_IER, 0);
	io_out8(COM2 + REG_LCR, 0x03);       /* 8N1 */
	io_out8(COM2 + REG_FCR, 0x07);       /* FIFOs on and cleared: a reply arrives whole */
	return 1;
}

int host_clock_present(void)
{
	if (!state)
		state = probe();
	return state > 0;
}

int host_clock_sample(uint64_t max_wait_ns, struct host_clock_sample *out)
{
	if (!host_clock_present())
		return -1;
	while (io_in8(COM2 + REG_LSR) & LSR_DATA)
		(void)io_in8(COM2 + REG_DATA); /* a late answer to an abandoned request */
	uint8_t want = ++seq, reply[REPLY_BYTES];
	unsigned got = 0;
	uint64_t limit = max_wait_ns * clock_tsc_hz() / 1000000000ULL;
	uint64_t gap = clock_tsc_hz() / 200000; /* 5 us */
	uint64_t t0 = rdtsc();
	io_out8(COM2 + REG_DATA, 0xa5); /* the request: 0xa5 0x5a seq (timeserve.py) */
	io_out8(COM2 + REG_DATA, 0x5a);
	io_out8(COM2 + REG_DATA, want);
	while (got < REPLY_BYTES) {
		if (io_in8(COM2 + REG_LSR) & LSR_DATA) {
			uint8_t b = io_in8(COM2 + REG_DATA);
			/* The header tells this answer from the rest of a late one. */
			uint8_t expect = got == 0 ? 0x5a : got == 1 ? 0xa5 : got == 2 ? want : b;
			if (b == expect)
				reply[got++] = b;
			else
				got = b == 0x5a;
		} else if (rdtsc() - t0 > limit) {
			return -1;
		} else {
			/* Under TCG every port read takes QEMU's big lock, which the thread that
			 * delivers the answer needs too: look again only after a few microseconds. */
			uint64_t until = rdtsc() + gap;
			while (rdtsc() < until)
				pause();
		}
	}
	uint64_t t1 = rdtsc(), ns = 0;
	for (int i = REPLY_BYTES - 1; i >= 3; i--)
		ns = ns << 8 | reply[i];
	out->tsc = t1;
	out->rtt_ticks = t1 - t0;
	out->host_ns = ns;
	return 0;
}
