"""Guest CLOCK_REALTIME against the host's: boot the clock probe guest, timestamp each line as it arrives.

Each line is the guest's CLOCK_REALTIME (ns) when it printed it; the host notes its own
CLOCK_REALTIME when the line arrives. lag = arrival - guest: the guest's error plus the
relay delay (serial -> pipe -> this process, which a busy host stretches). So a negative
lag means the guest is ahead of the host, and the smallest lag over a window bounds how
far behind the guest is."""
import os
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SKIFF = os.path.join(ROOT, "tools", "skiff")
GUEST_SRC = os.path.join(ROOT, "tests", "cli", "clock_guest", "main.c")


def build_guest(out):
    """Build the probe guest to `out`; returns the path."""
    subprocess.run([sys.executable, SKIFF, "build", GUEST_SRC, "-o", out], check=True,
                   stdout=subprocess.DEVNULL)
    return out


def sample(argv, env=None, timeout=None):
    """Run argv (a skiff run or a QEMU command); [(arrival_ns, guest_ns)] and the exit status."""
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            stdin=subprocess.DEVNULL, env=env)
    pairs, pending = [], b""
    deadline = None if timeout is None else time.monotonic() + timeout
    try:
        while True:
            if deadline is not None and time.monotonic() > deadline:
                raise TimeoutError(f"clock guest still running after {timeout} s")
            chunk = os.read(proc.stdout.fileno(), 4096)
            now = time.time_ns()
            if not chunk:
                break
            pending += chunk
            *lines, pending = pending.split(b"\n")
            pairs += [(now, int(line)) for line in lines if line.strip().isdigit()]
    finally:
        if proc.poll() is None:
            proc.kill()
        status = proc.wait()
        proc.stdout.close()
    return pairs, status


def window_min_lags(pairs, size):
    """The smallest lag (ms) in each run of `size` consecutive samples."""
    lags = [(arrival - guest) / 1e6 for arrival, guest in pairs]
    return [min(lags[i:i + size]) for i in range(0, len(lags) - size + 1, size)]
