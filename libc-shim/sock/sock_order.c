/* Arrival stamps for sockets: lwIP's event callback is wrapped so a socket records when it became readable from empty, for epoll's reporting order. */
#include <stdint.h>

#include "lwip/api.h"
#include "lwip/priv/sockets_priv.h"
#include "sock_internal.h"

/* One stamp per lwIP socket slot (written by lwIP's thread, read by epoll). */
static uint64_t stamps[NUM_SOCKETS];
/* lwIP's own socket event callback, called after ours (the same for every socket). */
static netconn_callback lwip_event;

static int slot(int s)
{
	int i = s - LWIP_SOCKET_OFFSET;

	return i >= 0 && i < NUM_SOCKETS ? i : -1;
}

/* Stamp the moment the socket turns readable: data or a connection arriving while
 * nothing was pending, or an error. Later arrivals keep the first stamp. */
static void order_event(struct netconn *conn, enum netconn_evt evt, u16_t len)
{
	int s = conn ? conn->socket : -1;
	struct lwip_sock *ls = s >= 0 && slot(s) >= 0 ? lwip_socket_dbg_get_socket(s) : NULL;

	if (ls && ((evt == NETCONN_EVT_RCVPLUS && ls->rcvevent <= 0) ||
		   (evt == NETCONN_EVT_ERROR && !ls->errevent)))
		__atomic_store_n(&stamps[slot(s)], fd_order_next(), __ATOMIC_RELAXED);
	lwip_event(conn, evt, len);
}

void sock_order_track(int s)
{
	struct lwip_sock *ls = slot(s) >= 0 ? lwip_socket_dbg_get_socket(s) : NULL;

	if (!ls || !ls->conn)
		return;
	__atomic_store_n(&stamps[slot(s)], 0, __ATOMIC_RELAXED);
	/* Accepted sockets inherit the listener's callback: wrap it once. */
	if (ls->conn->callback != order_event) {
		if (!lwip_event)
			lwip_event = ls->conn->callback;
		if (ls->conn->callback == lwip_event)
			ls->conn->callback = order_event;
	}
}

uint64_t sock_ready_stamp(struct file *f)
{
	int i = slot(f->handle);

	return i >= 0 ? __atomic_load_n(&stamps[i], __ATOMIC_RELAXED) : 0;
}
