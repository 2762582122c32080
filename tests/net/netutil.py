"""Helpers for the network tests: build guest images, boot them with skiff run, pick free ports, make a tap in a namespace."""
import contextlib
import os
import select
import signal
import socket
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SKIFF = os.path.join(ROOT, "tools", "skiff")
OUT = os.path.join(ROOT, "build", "tests", "net")
BUILD_TIMEOUT = 300
BOOT_TIMEOUT = 60


def build(name, sources, files=None):
    """Build an image from sources (paths relative to the repo) and return its path."""
    out = os.path.join(OUT, name, name + ".elf")
    os.makedirs(os.path.dirname(out), exist_ok=True)
    srcs = [s if os.path.isabs(s) else os.path.join(ROOT, s) for s in sources]
    cmd = [SKIFF, "build", *srcs, "-o", out, "-q"] + (["--files", files] if files else [])
    r = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                       timeout=BUILD_TIMEOUT)
    assert r.returncode == 0, f"building {name} failed:\n{r.stdout}{r.stderr}"
    return out


def free_port(kind=socket.SOCK_STREAM):
    with socket.socket(socket.AF_INET, kind) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Guest:
    """A booted image: `with Guest(image, args) as g:` waits for `ready` on its stdout."""

    def __init__(self, image, run_args=(), app_args=(), ready=None, timeout=BOOT_TIMEOUT,
                 prefix=(), stdin=False, env=None):
        self.image, self.run_args, self.app_args = image, list(run_args), list(app_args)
        self.prefix = list(prefix)   # e.g. ip netns exec NS
        self.ready, self.timeout = ready, timeout
        self.out = b""
        self.err = tempfile.TemporaryFile()
        self.err_text = ""
        self.proc = None
        self.stdin = stdin           # a pipe to the app's stdin (send())
        self.env = env or {}

    def __enter__(self):
        env = dict(os.environ, SKIFF_ACCEL=os.environ.get("SKIFF_ACCEL", "tcg"), **self.env)
        cmd = [*self.prefix, SKIFF, "run", self.image, "--timeout", str(self.timeout),
               *self.run_args]
        if self.app_args:
            cmd += ["--", *self.app_args]
        stdin = subprocess.PIPE if self.stdin else subprocess.DEVNULL
        self.proc = subprocess.Popen(cmd, stdin=stdin, stdout=subprocess.PIPE,
                                     stderr=self.err, env=env, start_new_session=True)
        if self.ready is not None:
            self.wait_for(self.ready)
        return self

    def wait_for(self, text, seconds=30, count=1):
        """Read stdout until `text` has appeared `count` times."""
        deadline = time.monotonic() + seconds
        want = text.encode()
        while self.out.count(want) < count:
            left = deadline - time.monotonic()
            assert left > 0, f"guest did not print {text!r} in {seconds}s\n{self.log()}"
            r, _, _ = select.select([self.proc.stdout], [], [], min(left, 0.5))
            if r:
                chunk = os.read(self.proc.stdout.fileno(), 65536)
                assert chunk, f"guest ended before printing {text!r}\n{self.log()}"
                self.out += chunk

    def drain(self, seconds):
        """Read whatever stdout brings for `seconds` (to check that something did not come)."""
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            r, _, _ = select.select([self.proc.stdout], [], [], left)
            if r:
                chunk = os.read(self.proc.stdout.fileno(), 65536)
                if not chunk:
                    return
                self.out += chunk

    def send(self, line):
        """One line to the app's stdin (Guest(..., stdin=True))."""
        self.proc.stdin.write(line.encode() + b"\n")
        self.proc.stdin.flush()

    def close_stdin(self):
        """End of file on the app's stdin."""
        self.proc.stdin.close()
        self.proc.stdin = None   # so communicate() leaves it alone

    def log(self):
        if not self.err.closed:
            self.err.seek(0)
            self.err_text = self.err.read().decode(errors="replace")
        return (f"--- stdout ---\n{self.out.decode(errors='replace')}\n"
                f"--- stderr ---\n{self.err_text}")

    def finish(self, seconds=60):
        """Wait for the guest to exit by itself; returns (status, stdout)."""
        try:
            rest, _ = self.proc.communicate(timeout=seconds)
        except subprocess.TimeoutExpired:
            self.stop()
            raise AssertionError(f"guest did not exit in {seconds}s\n{self.log()}") from None
        self.out += rest or b""
        return self.proc.returncode, self.out.decode(errors="replace")

    def stop(self):
        if self.proc and self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()

    def __exit__(self, *exc):
        self.stop()
        self.log()   # keep stderr for messages after the with block
        if self.proc.stdout:
            self.proc.stdout.close()
        self.err.close()
        return False


def connect(port, timeout=10.0, host="127.0.0.1"):
    """Connect to a forwarded guest port, retrying while slirp's listener comes up."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            return socket.create_connection((host, port), timeout=timeout)
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def recv_exact(sock, n):
    buf = bytearray()
    while len(buf) < n:
        chunk = sock.recv(min(n - len(buf), 1 << 20))
        assert chunk, f"connection closed after {len(buf)} of {n} bytes"
        buf += chunk
    return bytes(buf)


def run_tests(module_globals):
    """`python3 tests/net/test_x.py [-k NAME]`: run the module's test_* functions."""
    import argparse
    import traceback
    ap = argparse.ArgumentParser()
    ap.add_argument("-k", default="")
    args = ap.parse_args()
    failed = 0
    for name, fn in list(module_globals.items()):
        if name.startswith("test_") and callable(fn) and args.k in name:
            start = time.monotonic()
            try:
                fn()
                print(f"PASS {name} ({time.monotonic() - start:.1f}s)", flush=True)
            except Exception:  # noqa: BLE001
                failed += 1
                print(f"FAIL {name}\n{traceback.format_exc()}", flush=True)
    sys.exit(1 if failed else 0)


def namespace_missing():
    """Why a tap in a network namespace cannot be made here, or None."""
    if not os.path.exists("/dev/net/tun"):
        return "no /dev/net/tun"
    if os.geteuid() != 0:
        return "not root"
    return None


def sh(*cmd, timeout=30):
    """Run a host command; its output as text, an exception if it fails."""
    return subprocess.run(cmd, capture_output=True, text=True, check=True, timeout=timeout)


# For the probe scripts run inside a namespace: send data on a connected socket from a
# thread while reading the echo back; True when every byte came back in order.
ECHO_ROUNDTRIP = r"""
import threading
def echo_roundtrip(s, data):
    t = threading.Thread(target=s.sendall, args=(data,)); t.start()
    got = bytearray()
    while len(got) < len(data):
        chunk = s.recv(1 << 20)
        if not chunk: break
        got += chunk
    t.join()
    return bytes(got) == data, len(got)
"""


def run_in_namespace(ns, script, *args, guest, timeout):
    """python3 -c SCRIPT ARGS inside the namespace; its stdout, asserted to exit 0 (the
    guest's log in the message otherwise)."""
    r = subprocess.run([*ns, sys.executable, "-c", script, *args],
                       capture_output=True, text=True, timeout=timeout)
    print(r.stdout, r.stderr)
    assert r.returncode == 0, f"probe failed:\n{r.stdout}{r.stderr}\n{guest.log()}"
    return r.stdout


@contextlib.contextmanager
def tap_namespace(tag, host_ip=None, host_ip6=None, dad=False):
    """A fresh namespace holding lo and tap0 (at host_ip/24 when given, and host_ip6/64,
    without duplicate address detection unless dad); yields the `ip netns exec NS`
    prefix, or None after printing SKIP where that is impossible.
    On the way out everything still running inside it is killed and it is deleted."""
    ns = f"skiff-{tag}-{os.getpid()}"
    why = namespace_missing()
    if not why:
        r = subprocess.run(["ip", "netns", "add", ns], capture_output=True, text=True)
        why = f"`ip netns add` failed: {r.stderr.strip()}" if r.returncode else None
    if why:
        print(f"SKIP: this test needs a network namespace with a tap device ({why})")
        yield None
        return
    try:
        prefix = ["ip", "netns", "exec", ns]
        sh(*prefix, "ip", "link", "set", "lo", "up")
        sh(*prefix, "ip", "tuntap", "add", "dev", "tap0", "mode", "tap")
        if host_ip:
            sh(*prefix, "ip", "addr", "add", f"{host_ip}/24", "dev", "tap0")
        if host_ip6:
            sh(*prefix, "ip", "-6", "addr", "add", f"{host_ip6}/64", "dev", "tap0",
               *([] if dad else ["nodad"]))
        sh(*prefix, "ip", "link", "set", "tap0", "up")
        yield prefix
    finally:
        r = subprocess.run(["ip", "netns", "pids", ns], capture_output=True, text=True)
        for pid in r.stdout.split():      # only processes inside our own namespace
            with contextlib.suppress(ProcessLookupError, ValueError):
                os.kill(int(pid), signal.SIGKILL)
        subprocess.run(["ip", "netns", "del", ns], capture_output=True)
        assert ns not in sh("ip", "netns", "list").stdout, f"namespace {ns} left behind"


@contextlib.contextmanager
def echo_on_tap(tag, image, host_ip, guest_ip):
    """The echo server image (tests/net/test_echo.py) on tap0 of a fresh namespace, at
    guest_ip/24 with host_ip as its gateway; yields (the namespace prefix, the Guest), or
    (None, None) after printing SKIP where no namespace can be made."""
    with tap_namespace(tag, host_ip) as ns:
        if ns is None:
            yield None, None
            return
        with Guest(image, ["--net", "tap:tap0", "--append", f"ip={guest_ip}/24 gw={host_ip}"],
                   ready="echo: listening", prefix=ns) as guest:
            yield ns, guest
