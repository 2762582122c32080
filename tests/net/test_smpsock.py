"""Sockets used from several CPUs at once (--cpus 2, and 1 as the baseline): two threads
sending records on ONE TCP socket, a sender and a receiver on one socket, one connection per
CPU, two receivers on one socket (TCP from the host, UDP over the guest's loopback: libc-shim
lets one receiver into lwIP at a time), and two UDP senders on one socket while it receives.
The host checks every byte.

What is promised (and checked): every byte of both senders' streams arrives, none lost or
duplicated, each thread's records in its order; and, beyond what POSIX promises for stream
sockets, each send() or writev() call's bytes stay together (libc-shim holds one sender per
socket at a time, sock_io.c; a writev is one send), so records of one call each (odd ones a
writev of header and payload) are never interleaved mid-record."""
import re
import socket
import struct
import threading
import time

import netutil

RECORDS, RECORD_MAX = 400, 4000       # as in the guest
DUPLEX_BYTES = 1 << 20
TWO_RX_BYTES = 2 << 20                 # as in the guest
UDP_DGRAMS, HOST_DGRAMS = 300, 200

_image = []


def image():
    if not _image:
        _image.append(netutil.build("smpsock", ["tests/net/guest/smpsock/main.c"]))
    return _image[0]


def pattern(tid, seq, n):
    return bytes((tid * 131 + seq * 7 + i) & 0xff for i in range(n))


def recv_all(s):
    data = bytearray()
    while True:
        chunk = s.recv(65536)
        if not chunk:
            return bytes(data)
        data += chunk


def check_records(data, magic, records):
    """Parse [magic, tid, len16, seq32] + payload records; every one intact and in order."""
    want_seq, off, n = [0, 0], 0, 0
    while off < len(data):
        assert off + 8 <= len(data), f"torn header at {off}"
        m, tid, ln, seq = struct.unpack_from(">BBH", data, off) + struct.unpack_from("<i", data, off + 4)
        assert m == magic and tid in (0, 1), f"record {n} at byte {off}: bad header {data[off:off + 8]!r}"
        assert seq == want_seq[tid], f"thread {tid}: record {seq} where {want_seq[tid]} was due"
        body = data[off + 8:off + 8 + ln]
        assert body == pattern(tid, seq, ln), f"thread {tid} record {seq}: payload torn or mixed"
        want_seq[tid] += 1
        off += 8 + ln
        n += 1
    assert want_seq == [records, records], f"records per thread: {want_seq}"


def two_senders(g, port):
    s = netutil.connect(port, timeout=60)
    s.settimeout(120)
    s.sendall(b"S")
    data = recv_all(s)
    s.close()
    check_records(data, 0xa5, RECORDS)
    g.wait_for("smpsock: senders done", 30)
    return len(data)


def duplex(g, port):
    s = netutil.connect(port, timeout=60)
    s.settimeout(120)
    s.sendall(b"D")
    out = bytes((i * 13 + 5) & 0xff for i in range(DUPLEX_BYTES))
    errors = []

    def feed():
        try:
            s.sendall(out)
        except OSError as e:
            errors.append(e)
    t = threading.Thread(target=feed)
    t.start()
    data = recv_all(s)
    t.join()
    s.close()
    assert not errors, errors
    assert len(data) == DUPLEX_BYTES, f"duplex: {len(data)} of {DUPLEX_BYTES} bytes back"
    assert data == bytes((i * 29 + 1) & 0xff for i in range(DUPLEX_BYTES)), "duplex: wrong bytes"
    g.wait_for("smpsock: duplex ok", 30)


def echo_pair(g, port):
    """Two connections, each served by a thread pinned to its own CPU, streamed at once."""
    blob = bytes((i * 17 + 3) & 0xff for i in range(256 * 1024))
    socks, results = [], {}
    for _ in range(2):
        s = netutil.connect(port, timeout=60)
        s.settimeout(120)
        s.sendall(b"E")
        socks.append(s)

    def stream(i, s):
        r = threading.Thread(target=lambda: results.__setitem__(i, recv_all(s)))
        r.start()
        s.sendall(blob)
        s.shutdown(socket.SHUT_WR)
        r.join()
        s.close()
    ts = [threading.Thread(target=stream, args=(i, s)) for i, s in enumerate(socks)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    for i in range(2):
        assert results.get(i) == blob, f"echo {i}: {len(results.get(i, b''))} bytes, not the blob"
    g.wait_for("smpsock: echo", 30, count=2)


def udp(g, uport):
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
    u.settimeout(1.0)
    u.bind(("127.0.0.1", 0))
    got, deadline = [], time.monotonic() + 120
    done = False
    for attempt in range(30):            # the forward is up once the guest answers
        u.sendto(b"U", ("127.0.0.1", uport))
        try:
            got.append(u.recv(4096))
            break
        except socket.timeout:
            continue
    assert got, "no UDP answer from the guest"

    def feed():
        for seq in range(HOST_DGRAMS):
            u.sendto(b"H" + struct.pack("<i", seq) + bytes((seq + i) & 0xff for i in range(5, 200)),
                     ("127.0.0.1", uport))
            time.sleep(0.002)
        u.sendto(b"F", ("127.0.0.1", uport))
    t = threading.Thread(target=feed)
    t.start()
    while not done and time.monotonic() < deadline:
        try:
            d = u.recv(4096)
        except socket.timeout:
            continue
        if d == b"D":
            done = True
        else:
            got.append(d)
    t.join()
    u.close()
    assert done, "the guest never said its UDP senders were done"
    seen = {}
    for d in got:
        assert d[0] == 0x5a, f"stray datagram {d[:8]!r}"
        tid, ln = d[1], struct.unpack_from(">H", d, 2)[0]
        seq = struct.unpack_from("<i", d, 4)[0]
        assert len(d) == 8 + ln and d[8:] == pattern(tid, seq, ln), f"datagram {tid}/{seq} damaged"
        assert (tid, seq) not in seen, f"datagram {tid}/{seq} twice"
        seen[(tid, seq)] = 1
    assert len(seen) == 2 * UDP_DGRAMS, f"{len(seen)} of {2 * UDP_DGRAMS} datagrams arrived"
    g.wait_for("smpsock: udp sent", 30)
    line = [l for l in g.out.decode().splitlines() if "smpsock: udp sent" in l][-1]
    assert line.endswith(f"received {HOST_DGRAMS}, bad 0"), line


def two_receivers(g, port):
    """'R': two guest threads recv() at once on one connection while the host sends
    TWO_RX_BYTES; their byte count and sum must be the stream's. Then the guest does the
    same with two threads on one UDP socket over 127.0.0.1 (each datagram once, intact)."""
    data = bytes((i * 7 + 3) & 0xff for i in range(TWO_RX_BYTES))
    s = netutil.connect(port, timeout=60)
    s.settimeout(120)
    s.sendall(b"R" + data)
    s.shutdown(socket.SHUT_WR)
    reply = b""
    while chunk := s.recv(100):
        reply += chunk
    s.close()
    assert reply == f"{TWO_RX_BYTES} {sum(data)}\n".encode(), \
        f"two receivers got {reply!r}, want {TWO_RX_BYTES} bytes summing to {sum(data)}\n{g.drain(2) or g.log()}"
    g.wait_for("smpsock: two udp receivers", 120)
    line = [l for l in g.out.decode().splitlines() if "two udp receivers" in l][-1]
    m = re.search(r"got (\d+) \+ (\d+) of (\d+)", line)
    assert m and int(m[1]) + int(m[2]) == int(m[3]), line


def run(cpus):
    port, uport = netutil.free_port(), netutil.free_port(socket.SOCK_DGRAM)
    with netutil.Guest(image(), ["--cpus", str(cpus), "--port", f"{port}:80",
                                 "--port", f"udp:{uport}:7"],
                       ready="smpsock: listening", timeout=600) as g:
        n = two_senders(g, port)
        duplex(g, port)
        echo_pair(g, port)
        two_receivers(g, port)
        udp(g, uport)
        q = netutil.connect(port, timeout=30)
        q.sendall(b"Q")
        q.close()
        g.wait_for("smpsock: bye", 60)
        assert g.proc.wait(60) == 0, g.log()
    out = g.out.decode()
    assert "FAIL" not in out and "panic" not in out, g.log()
    if cpus > 1:
        # The pinned threads ran where they were put: thread 0 on CPU 0, thread 1 on CPU 1.
        assert "senders done, cpus 1 and 2" in out, out
        assert "echo 0 done, 262144 bytes, cpus 1" in out and "echo 1 done, 262144 bytes, cpus 2" in out, out
    print(f"    --cpus {cpus}: {n} bytes of records from 2 senders, duplex 2 x 1 MiB, "
          f"2 echo streams, {2 * UDP_DGRAMS} + {HOST_DGRAMS} datagrams")


def test_sockets_from_two_cpus():
    run(2)


def test_sockets_one_cpu():
    run(1)


if __name__ == "__main__":
    netutil.run_tests(globals())
