"""accept() on one listening socket from two threads at once, one pinned to each CPU
(--cpus 2, and 1 as the baseline): blocking accept, then non-blocking accept behind poll().
Every connection is accepted exactly once (its one reply names the thread), none is lost or
answered twice, and the guest's per-thread counts match what the host saw; at two CPUs both
threads take connections."""
import re
import socket
import threading

import netutil

CLIENTS, EACH = 8, 25          # concurrent host threads, connections each

_image = []


def image():
    if not _image:
        _image.append(netutil.build("smpaccept", ["tests/net/guest/smpaccept/main.c"]))
    return _image[0]


def ask(port, cmd):
    s = netutil.connect(port)
    s.settimeout(60)
    s.sendall(cmd)
    got = netutil.recv_exact(s, 3)
    assert s.recv(1) == b"", f"more than one reply: {got!r}..."
    s.close()
    return got


def one_round(g, port, mode, cpus):
    g.wait_for(f"smpaccept: {mode} acceptors up", 60)
    tally, errors = {b"w0\n": 0, b"w1\n": 0}, []
    lock = threading.Lock()

    def client():
        try:
            for _ in range(EACH):
                r = ask(port, b"x")
                with lock:
                    assert r in tally, f"reply {r!r}"
                    tally[r] += 1
        except Exception as e:  # reported below
            errors.append(repr(e))
    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(300)
    assert not errors and not any(t.is_alive() for t in threads), errors[:3]
    try:
        quits = sorted([ask(port, b"q"), ask(port, b"q")])
    except (AssertionError, OSError) as e:   # the guest's side of it, for the report
        g.drain(2)
        raise AssertionError(f"{mode} quit: {e} (guest status {g.proc.poll()})\n{g.log()}") from e
    assert quits == [b"q0\n", b"q1\n"], quits   # one quit reached each thread
    g.wait_for(f"smpaccept: {mode} done", 60)
    line = [l for l in g.out.decode().splitlines() if f"smpaccept: {mode} done" in l][-1]
    m = re.search(r"thread 0 accepted (\d+), thread 1 accepted (\d+)", line)
    assert m, line
    t0, t1 = int(m[1]), int(m[2])
    assert (t0, t1) == (tally[b"w0\n"], tally[b"w1\n"]), (line, tally)
    assert t0 + t1 == CLIENTS * EACH, line
    if cpus > 1:
        assert t0 > 0 and t1 > 0, f"one thread took every connection: {line}"
    print(f"    --cpus {cpus} {mode}: {line.split('done, ')[1]}")


def run(cpus):
    port = netutil.free_port()
    with netutil.Guest(image(), ["--cpus", str(cpus), "--port", f"{port}:80"],
                       ready="smpaccept: listening", timeout=600) as g:
        one_round(g, port, "blocking", cpus)
        one_round(g, port, "non-blocking", cpus)
        rc, out = g.finish(60)
        assert rc == 0 and "smpaccept: bye" in out and "FAIL" not in out, g.log()


def test_accept_from_two_cpus():
    run(2)


def test_accept_from_two_threads_one_cpu():
    run(1)


if __name__ == "__main__":
    netutil.run_tests(globals())
