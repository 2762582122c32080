"""One timed run of a command through apps/bench/linux/measure: first output, exit, peak RSS, output."""
import os
import selectors
import signal
import subprocess
import tempfile
import time

NS_PER_MS = 1_000_000


class Run:
    """What one run gave. Times in ms from the moment measure forked the command."""

    def __init__(self):
        self.status = None          # exit status (negative: killed by that signal); None: no report
        self.first_ms = None        # first byte of the expected output (the marker) on stdout
        self.exit_ms = None
        self.maxrss_kb = None       # wait4 ru_maxrss of the command measure started
        self.polled_kb = None       # VmHWM of a named descendant, polled (see poll_comm)
        self.stdout = b""
        self.stderr = ""
        self.timed_out = False

    def ok(self, marker):
        return (not self.timed_out and self.status == 0 and self.first_ms is not None
                and marker in self.stdout)

    def why_not(self, marker):
        """One line on why ok() is false."""
        if self.timed_out:
            return "timed out"
        if self.status != 0:
            tail = (self.stderr.strip().splitlines() or [""])[-1]
            return f"exit status {self.status}" + (f": {tail}" if tail else "")
        return f"expected output {marker[:40]!r} missing"


def _descendants(pid):
    """PIDs below pid (children through /proc/PID/task/*/children, recursively)."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        try:
            tasks = os.listdir(f"/proc/{current}/task")
        except OSError:
            continue
        for tid in tasks:
            try:
                with open(f"/proc/{current}/task/{tid}/children") as f:
                    kids = [int(k) for k in f.read().split()]
            except (OSError, ValueError):
                continue
            found += kids
            todo += kids
    return found


def _vmhwm_kb(pid, comm_prefix):
    try:
        with open(f"/proc/{pid}/comm") as f:
            if not f.read().startswith(comm_prefix):
                return None
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return None


def _report(fd):
    text = b""
    while True:
        chunk = os.read(fd, 4096)
        if not chunk:
            break
        text += chunk
    fields = dict(item.split("=", 1) for item in text.decode().split() if "=" in item)
    return {key: int(value) for key, value in fields.items()}


def measure(launcher, argv, *, marker, timeout, env=None, poll_comm=None, cleanup=None):
    """Run argv under `launcher` (the measure program). marker: bytes whose first appearance
    on stdout counts as the first output. poll_comm: also poll VmHWM of the descendant whose
    comm starts with it (a QEMU under a wrapper). cleanup(): called after a timeout kill."""
    run = Run()
    report_r, report_w = os.pipe()
    with tempfile.TemporaryFile() as errors:
        proc = subprocess.Popen([launcher, str(report_w), *argv], stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=errors, pass_fds=(report_w,),
                                env=env, start_new_session=True)
        os.close(report_w)
        try:
            received, chunks = _collect(proc, run, timeout, poll_comm, cleanup)
        except BaseException:
            _kill_group(proc)               # Ctrl-C: no VM or container left behind
            if cleanup:
                cleanup()
            os.close(report_r)
            raise
        report = _report(report_r)
        os.close(report_r)
        errors.seek(0)
        run.stderr = errors.read().decode(errors="replace")
    run.stdout = bytes(received)
    if "start_ns" in report:
        run.status = report["status"]
        run.exit_ms = (report["end_ns"] - report["start_ns"]) / NS_PER_MS
        run.maxrss_kb = report["maxrss_kb"]
        at = run.stdout.find(marker) if marker else -1
        if at >= 0:
            arrived = max(ns for ns, offset in chunks if offset <= at)
            run.first_ms = (arrived - report["start_ns"]) / NS_PER_MS
    return run


def _collect(proc, run, timeout, poll_comm, cleanup):
    """Read stdout until EOF (timestamping each chunk) and reap the launcher, or kill it at
    the deadline. Returns (the bytes, [(arrival ns, offset of the chunk), ...])."""
    chunks, received = [], bytearray()
    deadline = time.monotonic() + timeout
    out = proc.stdout.fileno()
    with selectors.DefaultSelector() as sel:
        sel.register(out, selectors.EVENT_READ)
        open_ = True
        while open_:
            left = deadline - time.monotonic()
            if left <= 0:
                run.timed_out = True
                break
            for _ in sel.select(min(left, 0.002) if poll_comm else left):
                chunk = os.read(out, 65536)
                if not chunk:
                    open_ = False
                    break
                chunks.append((time.monotonic_ns(), len(received)))
                received += chunk
            if poll_comm and open_:
                _poll_rss(proc.pid, poll_comm, run)
    if run.timed_out:
        _kill_group(proc)
        if cleanup:
            cleanup()
    else:
        try:
            proc.wait(timeout=max(deadline - time.monotonic(), 1))
        except subprocess.TimeoutExpired:
            run.timed_out = True
            _kill_group(proc)
    proc.stdout.close()
    return received, chunks


def _poll_rss(pid, comm_prefix, run):
    for child in _descendants(pid):
        kb = _vmhwm_kb(child, comm_prefix)
        if kb is not None:
            run.polled_kb = max(run.polled_kb or 0, kb)


def _kill_group(proc):
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait()
