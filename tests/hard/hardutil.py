"""Helpers for the hard tests: the httpd test site, a tap in a fresh network namespace, guests
booted there, probe.py and netem.py run inside it, the server's figures once idle."""
import contextlib
import hashlib
import json
import os
import random
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "net"))
import netutil  # noqa: E402  (tests/net/netutil.py: build, Guest, free_port)

sys.path.insert(0, os.path.join(netutil.ROOT, "tools"))   # soak.py's wrk parser: skiffpy.bench

ROOT = netutil.ROOT
PROBE = os.path.join(HERE, "probe.py")
NETEM = os.path.join(HERE, "netem.py")
HOST_IP, GUEST_IP = "192.168.78.1", "192.168.78.2"
HTTPD = ["apps/httpd/httpd.c", "apps/httpd/http_parse.c", "apps/httpd/http_files.c",
         "apps/httpd/http_stats.c"]
BIG = 10 << 20               # the fault tests' download
INDEX = b"<!doctype html><title>skiff</title>" + b"x" * 564 + b"\n"   # 600 bytes

_site = {}


def site():
    """httpd with / (600 bytes) and /big.bin (10 MiB, seeded), built once per process."""
    if not _site:
        d = tempfile.mkdtemp(prefix="skiff-hard-www-")
        with open(os.path.join(d, "index.html"), "wb") as f:
            f.write(INDEX)
        big = random.Random(736).randbytes(BIG)
        with open(os.path.join(d, "big.bin"), "wb") as f:
            f.write(big)
        _site.update(big_sha=hashlib.sha256(big).hexdigest(),
                     image=netutil.build("hard-httpd", HTTPD, files=d))
    return _site


sh = netutil.sh
namespace_missing = netutil.namespace_missing


def tap_namespace(tag, address=True):
    """netutil.tap_namespace with tap0 at HOST_IP/24 (or no address)."""
    return netutil.tap_namespace(f"hard-{tag}", HOST_IP if address else None)


def guest(ns, image, app_args=(), timeout=120, net=None, mem="64M", ready="httpd: serving",
          cpus=1):
    """A netutil.Guest booted inside namespace ns on tap0 (or net, e.g. udp:L:R)."""
    smp = ["--cpus", str(cpus)] if cpus > 1 else []
    return netutil.Guest(image, ["--net", net or "tap:tap0", "--mem", mem, *smp, "--append",
                                 f"ip={GUEST_IP}/24 gw={HOST_IP}"],
                         app_args=list(app_args), ready=ready, timeout=timeout, prefix=ns)


def probe(ns, *args, timeout=300):
    """Run probe.py inside ns; returns its JSON lines (the last one when it printed one)."""
    r = subprocess.run([*ns, sys.executable, PROBE, *map(str, args)], capture_output=True,
                       text=True, timeout=timeout)
    assert r.returncode == 0, f"probe {args} failed:\n{r.stdout}{r.stderr}"
    lines = [json.loads(l) for l in r.stdout.splitlines() if l.startswith("{")]
    assert lines, f"probe {args} printed nothing:\n{r.stdout}{r.stderr}"
    return lines[-1]


def start_probe(ns, *args):
    return subprocess.Popen([*ns, sys.executable, PROBE, *map(str, args)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def stop_sampler(proc):
    """SIGTERM a `probe.py sample` process; returns its samples."""
    proc.terminate()
    out, err = proc.communicate(timeout=60)
    return [json.loads(l) for l in out.splitlines() if l.startswith("{")]


def idle_stats(ns, host, settle=1.0, timeout=60):
    """httpd's /_stats once the load has gone: polls until the only connection open is the
    probe's own, waits `settle` seconds for lwIP to free the closed connections' last
    segments and pcbs (the client closed first, so the server keeps no TIME-WAIT), and
    reads again; AssertionError when connections stay open for `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        s = probe(ns, "stats", host)
        if s["open"] <= 1:
            time.sleep(settle)
            s = probe(ns, "stats", host)
            if s["open"] <= 1:
                return s
        assert time.monotonic() < deadline, f"{s['open'] - 1} connections still open: {s}"
        time.sleep(0.5)


@contextlib.contextmanager
def lossy_link(ns, loss=0.05, reorder=0.05, dup=0.02, seed=1, log=None):
    """netem.py between tap0 and a guest started with the yielded --net value (udp:L:R)
    inside ns; yields (net, counters) where counters is filled with netem's final JSON."""
    relay, guest_port = 40001, 40002
    proc = subprocess.Popen([*ns, sys.executable, NETEM, "--tap", "tap0", "--listen", str(relay),
                             "--qemu", str(guest_port), "--loss", str(loss), "--reorder",
                             str(reorder), "--dup", str(dup), "--seed", str(seed),
                             *(["--log", log] if log else [])],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    counters = {}
    try:
        line = proc.stdout.readline()
        assert line.strip() == "netem: ready", f"netem did not start: {line}{proc.stderr.read()}"
        yield f"udp:{guest_port}:{relay}", counters
    finally:
        proc.terminate()
        out, err = proc.communicate(timeout=30)
        for l in out.splitlines():
            if l.startswith("{"):
                counters.update(json.loads(l))
