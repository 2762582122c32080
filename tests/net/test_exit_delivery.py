"""What a program sends right before it ends reaches the peer, as from a native process:
TCP data and the FIN after exit() or a signal death, UDP datagrams sent just before exit().
The guest (tests/net/guest/exitsend) sends and returns at once; skiff's network stack holds
power-off until the peer has acknowledged (bounded) and the device has taken every frame."""
import socket

import netutil

_image = []


def image():
    if not _image:
        _image.append(netutil.build("exitsend", ["tests/net/guest/exitsend/main.c"]))
    return _image[0]


def pattern(n):
    return bytes(ord("a") + i % 26 for i in range(n))


def tcp_round(nbytes, how, status):
    port = netutil.free_port()
    with netutil.Guest(image(), ["--port", f"{port}:80"], ["tcp", str(nbytes), how],
                       ready="exitsend: listening") as g:
        s = netutil.connect(port)
        s.settimeout(60)
        got = bytearray()
        while chunk := s.recv(1 << 16):
            got += chunk
        s.close()
        rc, out = g.finish(60)
    assert rc == status and "FAIL" not in out, (rc, g.log())
    assert len(got) == nbytes, f"{len(got)} of {nbytes} bytes arrived before EOF\n{g.log()}"
    assert bytes(got) == pattern(nbytes), "the bytes arrived out of order or changed"


def test_tcp_reply_then_exit_arrives_whole():
    for nbytes in (3, 200_000):
        tcp_round(nbytes, "exit", 0)


def test_tcp_reply_then_signal_death_arrives_whole():
    tcp_round(50_000, "kill", 143)


def test_udp_datagrams_then_exit_arrive():
    rx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    rx.bind(("127.0.0.1", 0))
    rx.settimeout(10)
    port, count = rx.getsockname()[1], 20
    with netutil.Guest(image(), [], ["udp", str(port), str(count), "exit"]) as g:
        rc, out = g.finish(60)
    got = set()
    try:
        while len(got) < count:
            got.add(rx.recv(100))
    except socket.timeout:
        pass
    rx.close()
    assert rc == 0 and "FAIL" not in out, (rc, g.log())
    assert got == {f"exitsend {k}".encode() for k in range(count)}, \
        f"{len(got)} of {count} datagrams arrived\n{g.log()}"


if __name__ == "__main__":
    netutil.run_tests(globals())
