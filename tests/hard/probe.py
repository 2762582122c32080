#!/usr/bin/env python3
"""Host-side clients for the hard tests, run inside the test's network namespace
(`ip netns exec NS probe.py ...`); each prints JSON lines on stdout.

  probe.py stats HOST [TIMEOUT]            one GET /_stats from httpd -s, as a JSON object
  probe.py sample HOST INTERVAL            a stats line (with "t", seconds) every INTERVAL s until SIGTERM
  probe.py get HOST PATH [TIMEOUT [RATE]]  GET PATH: {"status", "bytes", "sha256", "seconds"} or {"error"};
                                           RATE (bytes/s) makes a slow reader
  probe.py conns HOST N                    N sequential connections, one GET / each (Connection:
                                           close; the server must close first): {"ok", "errors",
                                           "first_errors", "seconds"}
  probe.py echo HOST PORT CLIENTS ROUNDS   CLIENTS TCP connections open at once, each echoing
                                           ROUNDS payloads and checking them byte for byte
"""
import hashlib
import json
import random
import signal
import socket
import sys
import threading
import time


def http_get(host, path, timeout=30.0, port=80, rate=0, wait_close=False):
    """One GET on a fresh connection: (status, body bytes, sha256 hex). Raises OSError/ValueError.
    wait_close: then read until the server closes (it must send nothing more), so the
    server, not this host, is the side that closes first and keeps TIME-WAIT."""
    with socket.create_connection((host, port), timeout=timeout) as s:
        s.sendall(f"GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
        buf = b""
        while b"\r\n\r\n" not in buf:
            chunk = s.recv(65536)
            if not chunk:
                raise ValueError(f"connection closed mid-headers: {buf[:100]!r}")
            buf += chunk
        head, rest = buf.split(b"\r\n\r\n", 1)
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        length = next(int(l.split(":", 1)[1]) for l in lines[1:]
                      if l.lower().startswith("content-length:"))
        sha, got = hashlib.sha256(rest), len(rest)
        start = time.monotonic()
        while got < length:
            if rate and got > rate * (time.monotonic() - start):
                time.sleep(0.01)
                continue
            chunk = s.recv(65536 if rate else 1 << 20)
            if not chunk:
                raise ValueError(f"connection closed after {got} of {length} body bytes")
            sha.update(chunk)
            got += len(chunk)
            if got <= 1 << 16:
                rest += chunk
        if wait_close:
            extra = s.recv(1)
            if extra:
                raise ValueError(f"{extra!r} after the {length}-byte body instead of a close")
        return status, got, sha.hexdigest(), rest


def stats(host, timeout=10.0):
    status, _, _, body = http_get(host, "/_stats", timeout=float(timeout))
    if status != 200:
        raise ValueError(f"/_stats answered {status}")
    return {k: int(v) for k, v in (l.split() for l in body.decode().splitlines())}


def cmd_stats(host, timeout=10.0):
    print(json.dumps(stats(host, timeout)), flush=True)


def cmd_sample(host, interval):
    interval = float(interval)
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    start = time.monotonic()
    while not stop:
        t = time.monotonic() - start
        try:
            line = dict(stats(host), t=round(t, 2))
        except (OSError, ValueError) as e:
            line = dict(t=round(t, 2), error=str(e))
        print(json.dumps(line), flush=True)
        next_at = start + (int(t / interval) + 1) * interval
        while not stop and time.monotonic() < next_at:
            time.sleep(min(0.2, max(0.0, next_at - time.monotonic())))


def cmd_get(host, path, timeout=120.0, rate=0):
    start = time.monotonic()
    try:
        status, n, sha, _ = http_get(host, path, timeout=float(timeout), rate=float(rate))
        print(json.dumps(dict(status=status, bytes=n, sha256=sha,
                              seconds=round(time.monotonic() - start, 3))), flush=True)
    except (OSError, ValueError) as e:
        print(json.dumps(dict(error=f"{type(e).__name__}: {e}",
                              seconds=round(time.monotonic() - start, 3))), flush=True)


def cmd_conns(host, n):
    n, ok, errors, first = int(n), 0, 0, []
    start = time.monotonic()
    for i in range(n):
        try:
            status, _, _, _ = http_get(host, "/", timeout=30, wait_close=True)
            if status != 200:
                raise ValueError(f"status {status}")
            ok += 1
        except (OSError, ValueError) as e:
            errors += 1
            if len(first) < 10:
                first.append(f"connection {i}: {type(e).__name__}: {e}")
    print(json.dumps(dict(ok=ok, errors=errors, first_errors=first,
                          seconds=round(time.monotonic() - start, 2))), flush=True)


def recv_exact(s, n):
    buf = bytearray()
    while len(buf) < n:
        chunk = s.recv(min(n - len(buf), 1 << 20))
        if not chunk:
            raise ValueError(f"closed after {len(buf)} of {n} bytes")
        buf += chunk
    return bytes(buf)


def cmd_echo(host, port, clients, rounds):
    """All connections are opened first and proven by a 1-byte echo, then every client
    echoes its payloads at once; a client fails on any difference or error."""
    clients, rounds, port = int(clients), int(rounds), int(port)
    sizes = [1, 100, 1460, 1461, 4096, 10000, 30000]
    opened, errors, done = threading.Barrier(clients + 1), [], []
    lock = threading.Lock()

    def client(k):
        rng = random.Random(k)
        try:
            s = socket.create_connection((host, port), timeout=120)
            s.settimeout(120)
            s.sendall(b"!")
            if recv_exact(s, 1) != b"!":
                raise ValueError("no 1-byte echo")
        except (OSError, ValueError) as e:
            with lock:
                errors.append(f"client {k} connect: {e}")
            opened.abort()
            return
        try:
            opened.wait(timeout=600)
            for j in range(rounds):
                data = rng.randbytes(sizes[(k + j) % len(sizes)])
                sender = threading.Thread(target=s.sendall, args=(data,))
                sender.start()
                got = recv_exact(s, len(data))
                sender.join()
                if got != data:
                    raise ValueError(f"round {j}: {len(data)}-byte echo differs")
            with lock:
                done.append(k)
        except (OSError, ValueError, threading.BrokenBarrierError) as e:
            with lock:
                errors.append(f"client {k}: {type(e).__name__}: {e}")
        finally:
            s.close()

    start = time.monotonic()
    threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
    for t in threads:
        t.start()
    try:
        opened.wait(timeout=600)
    except threading.BrokenBarrierError:
        pass
    connect_s = time.monotonic() - start
    for t in threads:
        t.join()
    print(json.dumps(dict(clients=clients, ok=len(done), errors=errors[:10],
                          error_count=len(errors), connect_seconds=round(connect_s, 2),
                          seconds=round(time.monotonic() - start, 2))), flush=True)


def main():
    cmds = {"stats": cmd_stats, "sample": cmd_sample, "get": cmd_get, "conns": cmd_conns,
            "echo": cmd_echo}
    if len(sys.argv) < 3 or sys.argv[1] not in cmds:
        sys.exit(__doc__)
    cmds[sys.argv[1]](*sys.argv[2:])


if __name__ == "__main__":
    main()
