/* virtio-console (virtio 1.x §5.3) with multiport: port 1 carries include/skiff/hostcon.h's frames. */
#include <skiff/console.h>
#include <skiff/hostcon.h>
#include <skiff/io.h>
#include <skiff/irq.h>
#include <skiff/sync.h>
#include "hostcon_rx.h"
#include "kerrno.h"
#include "probe.h"
#include "virtio.h"

/*
 * Port 1 (QEMU: -device virtserialport,nr=1), not the console port 0: QEMU
 * drops console-port data the host cannot take at once, while a serial
 * port waits (the guest's buffer stays in flight until the host reads).
 * A serial port needs VIRTIO_CONSOLE_F_MULTIPORT and its control queues.
 */
#define VIRTIO_CONSOLE_F_MULTIPORT (1ULL << 1)
/* §5.3.2 Virtqueues: 2, 3 control; port n >= 1 at 2(n+1), 2(n+1)+1. */
#define CTRL_RXQ 2
#define CTRL_TXQ 3
#define PORT 1
#define RXQ 4
#define TXQ 5
/* §5.3.6.2 Multiport Device Operation: control events. */
#define CTRL_DEVICE_READY 0
#define CTRL_DEVICE_ADD 1
#define CTRL_PORT_READY 3
#define CTRL_PORT_OPEN 6
#define CTRL_BUFS 8
#define CTRL_MSGS 3  /* sent at start-up, 8 bytes each */
#define CTRL_BYTES 64
/* How long the start-up handshake waits for the device, counted in port-0x80 writes
 * (each a VM exit: at least ~0.1 us under TCG, ~1 us under KVM): a bound, not a timer,
 * because a timed wait would calibrate the TSC (a 10 ms PIT window) at every app's
 * first write. QEMU answers at once (under TCG inside the kick itself). */
#define CTRL_WAIT_SPINS (1UL << 22)
#define QUEUE_MAX 32
#define TX_BYTES (HOSTCON_HEADER + HOSTCON_FRAME_MAX) /* one frame at a time */
#define RX_BUFS 4
#define RX_BYTES 4096
/* One drv_zalloc run for everything: the TX frame, the RX buffers, the control buffers
 * and the messages sent at start-up, then struct vcon. */
#define RX_AT  TX_BYTES
#define CTL_AT (RX_AT + RX_BUFS * RX_BYTES)
#define VC_AT  (CTL_AT + CTRL_BUFS * CTRL_BYTES + 8 * CTRL_MSGS)
#define ALLOC_BYTES (VC_AT + sizeof(struct vcon))

struct vcon {
	struct virtio_dev *vd;
	struct virtq rxq, txq;     /* port 1 (interrupts off); notifications only while waited for */
	struct virtq crxq, ctxq;   /* control (interrupts off); polled, never notify */
	uint8_t *ctl;              /* CTRL_BUFS * CTRL_BYTES received, then CTRL_MSGS * 8 sent */
	struct sk_waitq wq;        /* readers and the writer waiting on the device */
	struct sk_mutex tx_lock;   /* one frame in flight */
	struct sk_mutex rx_lock;   /* one reader parses at a time */
	uint8_t *tx;               /* TX_BYTES */
	uint8_t *rx;               /* RX_BUFS * RX_BYTES */
	/* Parsing the host's frames (rx_lock, interrupts off). */
	uint8_t *cur;              /* the used RX buffer being read, or NULL */
	uint32_t cur_len, cur_off;
	struct hostcon_rx in;      /* its frame state */
	int broken;                /* the device misbehaved: every call fails */
	int irq;                   /* 0 not attached yet, 1 attached (irq_ready) */
	int rx_intr;               /* RX interrupts on: a reader or poller waited once */
	int poll_armed;            /* a poller found nothing: input would wake it */
	void (*on_input)(void);
};

static struct vcon *con; /* set once by the probe */

int hostcon_present(void)
{
	drivers_probe();
	return con != 0;
}

void hostcon_on_input(void (*fn)(void))
{
	if (con)
		con->on_input = fn;
}

/* Interrupts off: whatever completed, let the waiters look. */
static void vcon_irq(void *arg, unsigned causes)
{
	struct vcon *vc = arg;
	(void)causes;
	waitq_wake_all(&vc->wq);
	if (virtq_has_used(&vc->rxq)) {
		if (vc->poll_armed) {
			vc->poll_armed = 0;
			irq_wake_source(-1);
		}
		if (vc->on_input)
			vc->on_input();
	}
}

/*
 * Interrupts off: the link's interrupt, attached at the first wait. A program whose
 * output the host takes at once (under TCG inside the kick) never needs it, and its
 * attach (IOAPIC set-up, vector, routing) was a fifth of the link's start-up under TCG,
 * where every first-run instruction is translated. 0 when the caller may sleep on wq.
 */
static int irq_ready(struct vcon *vc)
{
	if (vc->irq)
		return 0;
	int err = vc->vd->ops->irq_attach(vc->vd, vcon_irq, vc);
	if (err) {
		klog("skiff: virtio-console %s: no interrupt (%d): the link is unusable\n",
		     virtio_where(vc->vd), err);
		vc->broken = 1;
		return err;
	}
	/* It wakes only threads waiting on it (they count themselves, irq_wake_source):
	 * an app whose threads all block elsewhere is deadlocked. */
	irq_wake_source(-1);
	vc->irq = 1;
	return 0;
}

/* Interrupts off: sleep until the device notifies about q, unless it already has news;
 * q's notifications are on only meanwhile (rx_intr keeps RX's on). */
static void wait_device(struct vcon *vc, struct virtq *q)
{
	if (irq_ready(vc))
		return;
	if (!virtq_intr_enable(q)) {
		irq_wake_source(1);
		waitq_wait(&vc->wq, 0);
		irq_wake_source(-1);
	}
	if (q != &vc->rxq || !vc->rx_intr)
		virtq_intr_disable(q);
}

/* Interrupts off: hand an RX buffer (back) to the device; kick now or later. */
static void rx_give(struct vcon *vc, uint8_t *buf, int kick)
{
	struct virtq_buf b = { drv_dma(buf), RX_BYTES };
	if (virtq_add(&vc->rxq, &b, 0, 1, buf) >= 0 && kick)
		virtio_kick(vc->vd, &vc->rxq);
}

/* Interrupts off: copy stdin bytes the host has sent, at most n. Stops at
 * end of file or when no filled buffer is left. */
static long rx_take(struct vcon *vc, uint8_t *out, long n)
{
	long got = 0;
	while (got < n && !vc->in.eof && !vc->in.bad) {
		if (!vc->cur) {
			vc->cur = virtq_get_used(&vc->rxq, &vc->cur_len);
			vc->cur_off = 0;
			if (vc->rxq.broken)
				vc->broken = 1;
			if (!vc->cur)
				break;
			if (vc->cur_len > RX_BYTES)
				vc->cur_len = RX_BYTES;
		}
		size_t room = (size_t)(n - got);
		vc->cur_off += (uint32_t)hostcon_rx_feed(&vc->in, vc->cur + vc->cur_off,
							 vc->cur_len - vc->cur_off, out + got, &room);
		got += (long)room;
		if (vc->cur_off >= vc->cur_len) {
			rx_give(vc, vc->cur, 1);
			vc->cur = 0;
		}
	}
	if (vc->in.bad == 1) { /* not our host: stdin reads fail from now on */
		vc->in.bad = 2;
		klog("skiff: virtio-console %s: bad frame from the host\n", virtio_where(vc->vd));
	}
	return got;
}

long hostcon_read(void *buf, size_t n, int nonblock)
{
	struct vcon *vc = con;
	if (!vc)
		return 0;
	if (n == 0)
		return 0;
	sk_mutex_lock(&vc->rx_lock);
	unsigned long f = irq_save();
	long r;
	for (;;) {
		r = rx_take(vc, buf, (long)n);
		if (r != 0 || vc->in.eof)
			break;
		if (vc->broken || vc->in.bad) {
			r = -EIO;
			break;
		}
		if (nonblock) {
			r = -EAGAIN;
			break;
		}
		wait_device(vc, &vc->rxq); /* the host may still send stdin */
	}
	irq_restore(f);
	sk_mutex_unlock(&vc->rx_lock);
	return r;
}

int hostcon_readable(void)
{
	struct vcon *vc = con;
	if (!vc)
		return 1; /* end of file */
	unsigned long f = irq_save();
	int r = vc->in.eof || vc->in.bad || vc->broken || (vc->cur && vc->cur_off < vc->cur_len) ||
		virtq_has_used(&vc->rxq);
	if (!r && !vc->poll_armed) { /* the caller may sleep until input comes */
		if (irq_ready(vc)) {
			r = 1; /* no interrupt: a read says the link is broken */
		} else {
			vc->rx_intr = 1;
			r = virtq_intr_enable(&vc->rxq);
			if (!r) {
				vc->poll_armed = 1;
				irq_wake_source(1);
			}
		}
	}
	irq_restore(f);
	return r;
}

/* One frame of at most HOSTCON_FRAME_MAX bytes; returns when the device has it. */
static int tx_frame(struct vcon *vc, int kind, const uint8_t *p, uint32_t len)
{
	vc->tx[0] = (uint8_t)kind;
	vc->tx[1] = (uint8_t)len;
	vc->tx[2] = (uint8_t)(len >> 8);
	vc->tx[3] = (uint8_t)(len >> 16);
	__builtin_memcpy(vc->tx + HOSTCON_HEADER, p, len);
	struct virtq_buf seg = { drv_dma(vc->tx), HOSTCON_HEADER + len }; /* one run (drv_zalloc) */
	unsigned long f = irq_save();
	int err = 0;
	if (vc->broken || virtq_add(&vc->txq, &seg, 1, 0, vc->tx) < 0) {
		err = -EIO;
	} else {
		virtio_kick(vc->vd, &vc->txq);
		while (!virtq_get_used(&vc->txq, 0)) {
			if (vc->txq.broken) {
				vc->broken = 1;
				err = -EIO;
				break;
			}
			wait_device(vc, &vc->txq); /* the host is still taking the frame */
			if (vc->broken) {
				err = -EIO;
				break;
			}
		}
	}
	irq_restore(f);
	return err;
}

long hostcon_write(int kind, const void *buf, size_t n)
{
	struct vcon *vc = con;
	if (!vc)
		return -EIO;
	const uint8_t *p = buf;
	size_t done = 0;
	sk_mutex_lock(&vc->tx_lock);
	while (done < n) {
		size_t len = n - done > HOSTCON_FRAME_MAX ? HOSTCON_FRAME_MAX : n - done;
		if (tx_frame(vc, kind, p + done, (uint32_t)len) < 0)
			break;
		done += len;
	}
	sk_mutex_unlock(&vc->tx_lock);
	return done || n == 0 ? (long)done : -EIO;
}

/* Interrupts off: the next used buffer of a control queue, polled for at most
 * CTRL_WAIT_SPINS port-0x80 writes; NULL if the device never answers. */
static void *ctrl_wait_used(struct virtq *q, uint32_t *len)
{
	for (unsigned long spins = 0; !q->broken && spins < CTRL_WAIT_SPINS; spins++) {
		void *m = virtq_get_used(q, len);
		if (m)
			return m;
		io_out8(0x80, 0);
	}
	return NULL;
}

/* Interrupts off: a control buffer (back) to the device, published by the caller. */
static void ctrl_give(struct vcon *vc, uint8_t *buf)
{
	struct virtq_buf b = { drv_dma(buf), CTRL_BYTES };
	virtq_add(&vc->crxq, &b, 0, 1, buf);
}

/*
 * Interrupts off: DEVICE_READY, PORT_READY and PORT_OPEN for port 1 (the guest end is
 * open) in one kick; the device takes them in order and, for DEVICE_READY, announces its
 * ports (DEVICE_ADD) before it hands that message back. 0, or -ENODEV without port 1.
 */
static int ctrl_open_port(struct vcon *vc)
{
	static const uint16_t msg[CTRL_MSGS][3] = {
		{ 0, CTRL_DEVICE_READY, 1 }, { PORT, CTRL_PORT_READY, 1 }, { PORT, CTRL_PORT_OPEN, 1 },
	};
	uint8_t *out = vc->ctl + CTRL_BUFS * CTRL_BYTES;
	for (int i = 0; i < CTRL_MSGS; i++) {
		uint8_t *m = out + 8 * i; /* id (le32), event (le16), value (le16) */
		m[0] = (uint8_t)msg[i][0];
		m[1] = m[2] = m[3] = 0;
		m[4] = (uint8_t)msg[i][1];
		m[5] = 0;
		m[6] = (uint8_t)msg[i][2];
		m[7] = 0;
		struct virtq_buf b = { drv_dma(m), 8 };
		if (virtq_add(&vc->ctxq, &b, 1, 0, m) < 0)
			return -EIO;
	}
	virtio_kick(vc->vd, &vc->ctxq);
	for (int i = 0; i < CTRL_MSGS; i++)
		if (!ctrl_wait_used(&vc->ctxq, 0))
			return -EIO;
	int added = 0;
	uint32_t len;
	uint8_t *m;
	while ((m = virtq_get_used(&vc->crxq, &len))) {
		uint32_t id = m[0] | (uint32_t)m[1] << 8 | (uint32_t)m[2] << 16 | (uint32_t)m[3] << 24;
		added |= len >= 8 && id == PORT && (m[4] | m[5] << 8) == CTRL_DEVICE_ADD;
		ctrl_give(vc, m);
	}
	virtq_publish(&vc->crxq); /* seen at the device's next look: nothing waits on them */
	return added ? 0 : -ENODEV;
}

/* §3.1.1 Device Initialization; §5.3.6.2 multiport start-up for port 1. */
int virtio_console_attach(struct virtio_dev *vd)
{
	if (con)
		return -EBUSY; /* one host console */
	int err = -ENOMEM;
	uint8_t *mem = drv_zalloc(ALLOC_BYTES);
	if (!mem)
		goto fail;
	struct vcon *vc = (struct vcon *)(mem + VC_AT);
	vc->vd = vd;
	sk_mutex_init(&vc->tx_lock, 0);
	sk_mutex_init(&vc->rx_lock, 0);
	vc->tx = mem;
	vc->rx = mem + RX_AT;
	vc->ctl = mem + CTL_AT;
	err = virtio_negotiate(vd, VIRTIO_CONSOLE_F_MULTIPORT, VIRTIO_CONSOLE_F_MULTIPORT);
	if (err)
		goto fail_free;
	struct virtq *qs[4] = { &vc->crxq, &vc->ctxq, &vc->rxq, &vc->txq };
	const unsigned idx[4] = { CTRL_RXQ, CTRL_TXQ, RXQ, TXQ };
	int nq = 0;
	for (; nq < 4 && !err; nq++)
		err = virtio_queue_setup(vd, qs[nq], idx[nq], QUEUE_MAX);
	if (err)
		goto fail_queues;
	unsigned long f = irq_save();
	for (int i = 0; i < 4; i++)
		virtq_intr_disable(qs[i]);
	for (int i = 0; i < CTRL_BUFS; i++)
		ctrl_give(vc, vc->ctl + i * CTRL_BYTES);
	for (int i = 0; i < RX_BUFS; i++)
		rx_give(vc, vc->rx + i * RX_BYTES, 0);
	virtq_publish(&vc->crxq); /* published before DRIVER_OK: no kick needed */
	virtq_publish(&vc->rxq);
	virtio_driver_ok(vd);
	err = ctrl_open_port(vc);
	irq_restore(f);
	if (err)
		goto fail_queues;
	con = vc;
	return 0;

fail_queues:
	vd->ops->reset(vd); /* the device lets go of the rings before they are freed */
	for (int i = 0; i < nq; i++)
		virtio_queue_free(qs[i]);
	virtio_fail(vd);
fail_free:
	drv_free(mem, ALLOC_BYTES);
fail:
	klog("skiff: virtio-console %s: attach failed (%d)\n", virtio_where(vd), err);
	return err;
}
