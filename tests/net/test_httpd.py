"""apps/httpd over slirp: a 1 MiB GET by sha256, keep-alive, many connections, hostile requests,
and a worker thread per CPU at --cpus 2 (both serve, many concurrent clients all answered)."""
import hashlib
import os
import shutil
import socket
import tempfile
import threading
import time

import netutil

SOURCES = ["apps/httpd/httpd.c", "apps/httpd/http_parse.c", "apps/httpd/http_files.c",
           "apps/httpd/http_stats.c"]
# 10,000 sequential connections take seconds under TCG here; SKIFF_TEST_LONG=1
# (make test-long) makes 100,000.
SEQUENTIAL = 100000 if os.environ.get("SKIFF_TEST_LONG") == "1" else 10000

_site = {}


def site():
    """The test site (files dir + image), built once per test run."""
    if not _site:
        d = tempfile.mkdtemp(prefix="skiff-www-")
        with open(os.path.join(d, "index.html"), "w") as f:
            f.write("<h1>skiff httpd</h1>\n")
        big = os.urandom(1 << 20)
        with open(os.path.join(d, "big.bin"), "wb") as f:
            f.write(big)
        os.mkdir(os.path.join(d, "docs"))
        with open(os.path.join(d, "docs", "index.html"), "w") as f:
            f.write("docs\n")
        _site.update(dir=d, big_sha=hashlib.sha256(big).hexdigest(),
                     image=netutil.build("httpd", SOURCES, files=d))
    return _site


def boot(port, timeout=netutil.BOOT_TIMEOUT, cpus=1, app_args=()):
    smp = ["--cpus", str(cpus)] if cpus > 1 else []
    return netutil.Guest(site()["image"], ["--port", f"{port}:80", "--mem", "32M", *smp],
                         app_args=list(app_args), ready="httpd: serving", timeout=timeout)


def read_response(sock, buf=b""):
    """One response from sock: (status, headers dict, body, leftover bytes)."""
    while b"\r\n\r\n" not in buf:
        chunk = sock.recv(65536)
        assert chunk, f"connection closed mid-headers: {buf[:200]!r}"
        buf += chunk
    head, rest = buf.split(b"\r\n\r\n", 1)
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {k.strip().lower(): v.strip() for k, v in (l.split(":", 1) for l in lines[1:])}
    n = int(headers["content-length"])
    while len(rest) < n:
        chunk = sock.recv(max(65536, n - len(rest)))
        assert chunk, f"connection closed after {len(rest)} of {n} body bytes"
        rest += chunk
    return status, headers, rest[:n], rest[n:]


def get(sock, path, extra=""):
    sock.sendall(f"GET {path} HTTP/1.1\r\nHost: t\r\n{extra}\r\n".encode())
    status, headers, body, left = read_response(sock)
    assert not left, f"unexpected bytes after the response: {left[:100]!r}"
    return status, headers, body


def test_get_1mib_sha256_and_404():
    port = netutil.free_port()
    with boot(port) as g:
        s = netutil.connect(port)
        status, headers, body = get(s, "/big.bin")
        assert status == 200, status
        assert hashlib.sha256(body).hexdigest() == site()["big_sha"], "1 MiB body differs"
        status, _, body = get(s, "/")
        assert status == 200 and body == b"<h1>skiff httpd</h1>\n", (status, body)
        status, _, body = get(s, "/docs/")
        assert status == 200 and body == b"docs\n", (status, body)
        status, _, _ = get(s, "/missing.html")
        assert status == 404, status
        status, _, _ = get(s, "/../etc/passwd")
        assert status == 403, status
        s.sendall(b"HEAD /big.bin HTTP/1.1\r\nHost: t\r\n\r\n")
        s.settimeout(5)
        head = s.recv(4096)
        assert head.startswith(b"HTTP/1.1 200") and b"Content-Length: 1048576" in head, head
        s.close()
        assert g.proc.poll() is None, g.log()


def test_keep_alive_1000_requests_one_connection():
    port = netutil.free_port()
    with boot(port) as g:
        s = netutil.connect(port)
        for i in range(1000):
            status, headers, body = get(s, "/" if i % 2 else "/docs/index.html")
            assert status == 200, (i, status)
            assert headers.get("connection") == "keep-alive", (i, headers)
        # 50 pipelined requests in one write
        s.sendall(b"GET / HTTP/1.1\r\nHost: t\r\n\r\n" * 50)
        left = b""
        for i in range(50):
            status, _, body, left = read_response(s, left)
            assert status == 200 and body.startswith(b"<h1>"), (i, status)
        s.close()
        assert g.proc.poll() is None, g.log()


def test_sequential_connections_no_accept_hang():
    port = netutil.free_port()
    # the VM's own --timeout must outlast the run: ~1 ms a connection here, so allow 5 ms
    with boot(port, timeout=max(netutil.BOOT_TIMEOUT, SEQUENTIAL // 200)) as g:
        start = time.monotonic()
        for i in range(SEQUENTIAL):
            s = netutil.connect(port)
            s.settimeout(10)
            status, _, _ = get(s, "/", "Connection: close\r\n")
            assert status == 200, (i, status)
            assert s.recv(1) == b"", f"connection {i} not closed by the server"
            s.close()
        elapsed = time.monotonic() - start
        print(f"{SEQUENTIAL} sequential connections in {elapsed:.1f}s")
        assert g.proc.poll() is None, g.log()


def expect_status(port, raw, want, closes=True):
    s = netutil.connect(port)
    s.settimeout(10)
    try:
        s.sendall(raw)
    except (BrokenPipeError, ConnectionResetError):
        pass  # the server may answer and close before reading everything
    status, headers, _, _ = read_response(s)
    assert status == want, f"{raw[:60]!r}...: status {status}, want {want}"
    if closes:
        assert headers.get("connection") == "close", headers
    s.close()


def test_malformed_and_oversized_requests():
    port = netutil.free_port()
    with boot(port) as g:
        expect_status(port, b"HELLO\r\n\r\n", 400)
        expect_status(port, b"GET / HTTP/1.1\r\nBad Header\r\n\r\n", 400)
        expect_status(port, b"GET /%zz HTTP/1.1\r\n\r\n", 400)
        expect_status(port, b"GET / HTTP/3.0\r\n\r\n", 505)
        expect_status(port, b"GET / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n", 501)
        expect_status(port, b"GET /" + b"a" * 9000 + b" HTTP/1.1\r\n\r\n", 414)
        expect_status(port, b"GET / HTTP/1.1\r\n" + b"X-Long: " + b"b" * 20000 + b"\r\n\r\n", 431)
        expect_status(port, b"GET / HTTP/1.1\r\n" + b"X: y\r\n" * 3000 + b"\r\n", 431)
        expect_status(port, b"POST / HTTP/1.1\r\nContent-Length: 5000000\r\n\r\n", 413)
        expect_status(port, b"DELETE / HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc", 405, closes=False)
        # Binary garbage and a half request that closes early: the server shrugs.
        for junk in (os.urandom(3000), b"\x00" * 100 + b"\r\n\r\n", b"GET / HTTP/1.1\r\nHo"):
            s = netutil.connect(port)
            s.sendall(junk)
            s.close()
        # ...and keeps serving.
        s = netutil.connect(port)
        status, _, body = get(s, "/")
        assert status == 200 and body.startswith(b"<h1>"), status
        s.close()
        assert g.proc.poll() is None, g.log()


def _served_with_close(port):
    """One GET the server ends (Connection: close): slirp's host-side socket on `port`
    closes first and is left in TIME_WAIT."""
    s = netutil.connect(port)
    s.settimeout(10)
    status, _, _ = get(s, "/", "Connection: close\r\n")
    assert status == 200, status
    assert s.recv(1) == b"", "the server did not close the connection"
    s.close()


def test_restart_on_the_same_port_after_the_server_closed_first():
    port = netutil.free_port()
    for round_ in range(2):
        with boot(port) as g:
            for _ in range(3):
                _served_with_close(port)
            assert g.proc.poll() is None, (round_, g.log())


CLIENTS, REQUESTS = 40, 20   # concurrent keep-alive clients at --cpus 2, requests each


def stats(port):
    s = netutil.connect(port)
    status, _, body = get(s, "/_stats")
    s.close()
    assert status == 200, status
    return {k: int(v) for k, v in (l.split() for l in body.decode().splitlines())}


def _client(s, i, start, errors):
    """REQUESTS checked GETs on an open keep-alive connection once every client is ready
    (every fourth client fetches the 1 MiB file once)."""
    try:
        start.wait(120)
        for k in range(REQUESTS):
            path = "/big.bin" if k == 5 and i % 4 == 0 else "/docs/index.html" if k % 2 else "/"
            status, _, body = get(s, path)
            want = {"/": b"<h1>skiff httpd</h1>\n", "/docs/index.html": b"docs\n"}.get(path)
            assert status == 200, (i, k, path, status)
            if want is None:
                assert hashlib.sha256(body).hexdigest() == site()["big_sha"], (i, k, "big.bin")
            else:
                assert body == want, (i, k, path, body[:40])
        s.close()
    except Exception as e:  # reported by the main thread
        errors.append(f"client {i}: {e!r}")
        start.abort()


def test_worker_per_cpu_two_cpus_concurrent_clients():
    port = netutil.free_port()
    with boot(port, timeout=600, cpus=2, app_args=["-s", "-w", "2"]) as g:
        assert b"2 workers" in g.out, g.log()   # a worker per CPU
        # The CLIENTS keep-alive connections are opened one after another (QEMU's slirp
        # listens with a backlog of one: 40 connects at once lose SYNs, and on a loaded host
        # the retries back off past the clients' timeout), each answering a first GET, so all
        # are open at once; then they all send their requests concurrently.
        socks = []
        for i in range(CLIENTS):
            s = netutil.connect(port)
            s.settimeout(60)
            status, _, body = get(s, "/")
            assert status == 200 and body == b"<h1>skiff httpd</h1>\n", (i, status, body[:40])
            socks.append(s)
        start, errors = threading.Barrier(CLIENTS), []
        threads = [threading.Thread(target=_client, args=(socks[i], i, start, errors))
                   for i in range(CLIENTS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(300)
        assert not errors and not any(t.is_alive() for t in threads), errors[:5]
        st = stats(port)
        assert st["workers"] == 2, st
        want = CLIENTS * (REQUESTS + 1)
        assert st["requests"] == want and st["accepted"] == CLIENTS + 1, st
        assert st["worker0_requests"] + st["worker1_requests"] == want, st
        for w in (0, 1):   # both took connections while all CLIENTS were open at once
            assert st[f"worker{w}_accepted"] >= CLIENTS // 4, st
        print(f"    --cpus 2: {CLIENTS} clients x {REQUESTS + 1} requests; worker 0 accepted "
              f"{st['worker0_accepted']}, worker 1 {st['worker1_accepted']}")
        assert g.proc.poll() is None, g.log()


def test_worker_option_forces_count_and_rejects_bad_values():
    port = netutil.free_port()
    with boot(port, app_args=["-s", "-w", "3"]) as g:   # 3 workers on one CPU
        assert b"3 workers" in g.out, g.log()
        for _ in range(6):
            _served_with_close(port)
        st = stats(port)
        # /_stats counts itself once answered: 7 accepted, 6 requests
        assert st["workers"] == 3 and st["accepted"] == 7 and st["requests"] == 6, st
        assert g.proc.poll() is None, g.log()
    for bad in ("0", "17", "2x"):
        with netutil.Guest(site()["image"], ["--mem", "32M"], app_args=["-w", bad]) as g:
            rc, _ = g.finish(120)
            log = g.log()
        assert rc == 2 and f"-w wants a worker count from 1 to 16, not '{bad}'" in log, (bad, log)


if __name__ == "__main__":
    netutil.run_tests(globals())
