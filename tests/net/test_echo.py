"""apps/echo over slirp: 100 concurrent TCP clients with 1 B to 64 KiB payloads, and UDP echo."""
import concurrent.futures
import os
import socket
import threading

import netutil

CLIENTS = 100
SIZES = [1, 2, 7, 100, 1000, 1460, 1461, 4096, 10000, 16384, 30000, 65535, 65536]

_image = []


def image():
    if not _image:
        _image.append(netutil.build("echo", ["apps/echo/echo.c"]))
    return _image[0]


def one_client(port, k, barrier, connect_lock):
    """Client k: connect, wait for all others, then echo a few payloads."""
    # slirp's host-side listener has a backlog of 1 (libslirp tcp_listen), so
    # simultaneous connects overflow the host kernel's accept queue: open the
    # connections one at a time, each proven by a 1-byte echo, then go all at once.
    with connect_lock:
        s = netutil.connect(port, timeout=30)
        s.settimeout(60)
        s.sendall(b"!")
        assert netutil.recv_exact(s, 1) == b"!", f"client {k}: no echo"
    barrier.wait(timeout=120)
    for j in range(3):
        size = SIZES[(k + j * 5) % len(SIZES)]
        data = os.urandom(size)
        sender = threading.Thread(target=s.sendall, args=(data,))
        sender.start()                     # send and receive at once: 64 KiB > any window
        got = netutil.recv_exact(s, size)
        sender.join()
        assert got == data, f"client {k}: {size}-byte echo differs"
    s.close()
    return k


def test_tcp_100_concurrent_clients():
    tport, uport = netutil.free_port(), netutil.free_port(socket.SOCK_DGRAM)
    with netutil.Guest(image(), ["--port", f"{tport}:7", "--port", f"udp:{uport}:7"],
                       ready="echo: listening") as g:
        barrier, lock = threading.Barrier(CLIENTS), threading.Lock()
        with concurrent.futures.ThreadPoolExecutor(CLIENTS) as pool:
            futures = [pool.submit(one_client, tport, k, barrier, lock) for k in range(CLIENTS)]
            done = sorted(f.result(timeout=240) for f in futures)
        assert done == list(range(CLIENTS))
        assert g.proc.poll() is None, g.log()


def test_udp_echo():
    tport, uport = netutil.free_port(), netutil.free_port(socket.SOCK_DGRAM)
    with netutil.Guest(image(), ["--port", f"{tport}:7", "--port", f"udp:{uport}:7"],
                       ready="echo: listening") as g:
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.settimeout(2)
        for size in (1, 100, 1472, 1473, 8000, 30000):   # past the MTU: IP fragments
            data = os.urandom(size)
            for attempt in range(5):                      # UDP: retry a lost datagram
                s.sendto(data, ("127.0.0.1", uport))
                try:
                    got, _ = s.recvfrom(65536)
                    break
                except socket.timeout:
                    continue
            else:
                raise AssertionError(f"no UDP echo of {size} bytes\n{g.log()}")
            assert got == data, f"{size}-byte UDP echo differs"
        s.close()


if __name__ == "__main__":
    netutil.run_tests(globals())
