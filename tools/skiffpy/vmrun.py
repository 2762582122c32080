"""Run QEMU for one guest: relay its log stream, enforce --timeout, map the exit line to a status.

The log stream (debugcon) arrives on a pipe; lines `skiff: exit N`, `skiff: panic ...` and
`skiff: refused ...` decide the status. COM1 goes straight to skiff's own fd 1 (QEMU opens
/proc/self/fd/N), so stdout is byte-exact and unbuffered; only when fd 1 cannot be
reopened that way (a socket) does skiff relay it through a pipe.

A stdout filter (UEFI boots: efirun.FirmwareFilter) also forces the relay: its feed(chunk)
returns what reaches stdout; once its `failure` is set (one line) the VM is stopped and the
status is 125; if it never saw the guest start (`started` false) and no exit line came,
the VM did not start (125) and its `explain()` lines say why."""
import collections
import ctypes
import os
import re
import selectors
import signal
import stat
import subprocess
import time

from .timeserve import TimeService
from .common import (EXIT_CRASHED, EXIT_INTERRUPTED, EXIT_REFUSED, EXIT_TERMINATED,
                     EXIT_TIMEOUT, EXIT_VM_DID_NOT_START, say)

EXIT_LINE = re.compile(rb"^skiff: exit (\d+)\s*$")
PANIC_PREFIX = b"skiff: panic"
REFUSED_PREFIX = b"skiff: refused"
KERNEL_PREFIX = b"skiff: "
PR_SET_PDEATHSIG = 1
LONGEST_LOG_LINE = 64 * 1024   # a longer run without a newline is forwarded as it stands
HIDDEN_LINES_KEPT = 64         # --quiet: kernel lines replayed if the VM panics or crashes


class Terminated(Exception):
    """skiff got SIGTERM."""


def _raise_terminated(signum, frame):
    raise Terminated()


def _die_with_parent_hook():
    """preexec_fn: QEMU gets SIGTERM if skiff dies (even by SIGKILL), so no VM is left behind."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError:
        return None
    parent = os.getpid()

    def hook():
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
        if os.getppid() != parent:
            os._exit(1)
    return hook


def _stdout_needs_relay():
    """True if QEMU cannot reopen fd 1 through /proc/self/fd/1 (it is a socket)."""
    return stat.S_ISSOCK(os.fstat(1).st_mode)


def _settle_stdout_offset():
    """QEMU appended to fd 1's file through its own open; move the shared offset to the end
    so whatever the shell writes next does not overwrite the guest's output."""
    try:
        if stat.S_ISREG(os.fstat(1).st_mode):
            os.lseek(1, 0, os.SEEK_END)
    except OSError:
        pass


class LogStream:
    """Splits the guest log into lines, forwards them, and remembers the final status line.
    Under --quiet the last kernel lines are kept and shown after all if the VM panics."""

    def __init__(self, quiet, verbose):
        self.quiet, self.verbose = quiet, verbose
        self.hidden = collections.deque(maxlen=HIDDEN_LINES_KEPT)
        self.pending = b""
        self.final = None          # ("exit", N) | ("panic",) | ("refused",)
        self.seen_output = False

    def feed(self, chunk):
        self.seen_output = True
        self.pending += chunk
        *lines, self.pending = self.pending.split(b"\n")
        for line in lines:
            self._line(line + b"\n")
        if len(self.pending) > LONGEST_LOG_LINE:
            self.finish()

    def finish(self):
        if self.pending:
            self._line(self.pending)
            self.pending = b""

    def _line(self, line):
        match = EXIT_LINE.match(line)
        if match:
            self.final = ("exit", int(match.group(1)) & 0xff)
            show = self.verbose
        elif line.startswith(PANIC_PREFIX) or line.startswith(REFUSED_PREFIX):
            self.final = ("panic",) if line.startswith(PANIC_PREFIX) else ("refused",)
            self.replay_hidden()
            show = True
        else:
            show = not (self.quiet and line.startswith(KERNEL_PREFIX))
            if not show:
                self.hidden.append(line)
            else:
                self.hidden.clear()     # replay only what came after the last shown line
        if show:
            _write_all(2, line)

    def replay_hidden(self):
        """Show the kernel lines --quiet held back (context for a panic or crash)."""
        while self.hidden:
            _write_all(2, self.hidden.popleft())


def _write_all(fd, data):
    while data:
        try:
            written = os.write(fd, data)
        except BrokenPipeError:
            return False
        data = data[written:]
    return True


def _open_standard_fds():
    """A closed fd 0/1/2 becomes /dev/null, so pipes never land on it and QEMU can open fd 1."""
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
        except OSError:
            null = os.open(os.devnull, os.O_RDWR)
            if null != fd:
                os.dup2(null, fd)           # dup2 makes fd inheritable
                os.close(null)
            else:
                os.set_inheritable(fd, True)


def run_vm(build_command, *, timeout=None, quiet=False, verbose=False, stdout_filter=None):
    """Boot the VM. build_command(out_path, log_path) gives QEMU's argv. Returns skiff's status."""
    _open_standard_fds()
    log_r, log_w = os.pipe()
    relay = stdout_filter is not None or _stdout_needs_relay()
    out_r = out_w = None
    if relay:
        out_r, out_w = os.pipe()
    argv = build_command(f"/proc/self/fd/{out_w}" if relay else "/proc/self/fd/1",
                         f"/proc/self/fd/{log_w}")
    clock = TimeService()                   # host wall time on COM2 (kernel/clock_host.c)
    argv = argv[:1] + clock.qemu_args() + argv[1:]
    passed = (log_w,) + ((out_w,) if relay else ()) + (clock.fd,)
    clock.start()                           # serving before the guest can ask
    previous_term = signal.signal(signal.SIGTERM, _raise_terminated)
    proc = None
    try:
        try:
            proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                    pass_fds=passed, preexec_fn=_die_with_parent_hook())
        except OSError as err:
            say(f"skiff run: VM did not start: cannot run {argv[0]}: {err.strerror}")
            return EXIT_VM_DID_NOT_START
        finally:
            for fd in passed:
                os.close(fd)
        return _supervise(proc, log_r, out_r, timeout, quiet, verbose, stdout_filter)
    except KeyboardInterrupt:
        _stop(proc)
        say("skiff run: interrupted, VM stopped")
        return EXIT_INTERRUPTED
    except Terminated:
        _stop(proc)
        return EXIT_TERMINATED
    finally:
        signal.signal(signal.SIGTERM, previous_term)
        for fd in (log_r, out_r):
            if fd is not None:
                _close_quietly(fd)
        _settle_stdout_offset()


def _close_quietly(fd):
    try:
        os.close(fd)
    except OSError:
        pass


def _stop(proc):
    """SIGTERM QEMU if it is still running; SIGKILL if it does not go within 3 s."""
    if proc is None:
        return
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=3)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    if proc.stderr:
        proc.stderr.close()


def _supervise(proc, log_r, out_r, timeout, quiet, verbose, stdout_filter=None):
    log = LogStream(quiet, verbose)
    qemu_err, qemu_complained = b"", False
    qemu_err_fd = proc.stderr.fileno()
    sel = selectors.DefaultSelector()
    sel.register(log_r, selectors.EVENT_READ, "log")
    sel.register(qemu_err_fd, selectors.EVENT_READ, "qemu")
    if out_r is not None:
        sel.register(out_r, selectors.EVENT_READ, "out")
    deadline = None if timeout is None else time.monotonic() + timeout
    stdout_open = True
    while sel.get_map():
        remaining = None if deadline is None else deadline - time.monotonic()
        if remaining is not None and remaining <= 0:
            _stop(proc)
            log.finish()
            say(f"skiff run: timeout: stopped the VM after {timeout:g} s")
            if stdout_filter is not None and not stdout_filter.started:
                for line in stdout_filter.explain():
                    say(line)
            return EXIT_TIMEOUT
        for key, _ in sel.select(remaining):
            chunk = os.read(key.fd, 65536)
            if not chunk:
                sel.unregister(key.fd)
            elif key.data == "log":
                log.feed(chunk)
            elif key.data == "out":
                if stdout_filter is not None:
                    chunk = stdout_filter.feed(chunk)
                    if stdout_filter.failure:
                        _stop(proc)
                        say(f"skiff run: VM did not start: {stdout_filter.failure}")
                        return EXIT_VM_DID_NOT_START
                stdout_open = stdout_open and _write_all(1, chunk)
            else:
                qemu_err += chunk
                *lines, qemu_err_tail = qemu_err.split(b"\n")
                for line in lines:
                    _write_all(2, line + b"\n")
                qemu_err, qemu_complained = qemu_err_tail, True
    sel.close()
    log.finish()
    if qemu_err:
        _write_all(2, qemu_err + b"\n")
    status = proc.wait()
    proc.stderr.close()
    if stdout_filter is not None and not stdout_filter.started and log.final is None:
        for line in stdout_filter.explain():
            say(line)
        return EXIT_VM_DID_NOT_START
    return _status(log, status, qemu_complained)


def _status(log, qemu_status, qemu_complained):
    if log.final is not None:
        if log.final[0] == "exit":
            return log.final[1]
        return EXIT_REFUSED if log.final[0] == "refused" else EXIT_CRASHED
    if qemu_status != 0 and (qemu_complained or not log.seen_output):
        how = (f"killed by signal {-qemu_status}" if qemu_status < 0
               else f"exited with status {qemu_status}")
        say(f"skiff run: VM did not start (QEMU {how})")
        return EXIT_VM_DID_NOT_START
    log.replay_hidden()
    say("skiff run: VM stopped without an exit line (triple fault?)")
    return EXIT_CRASHED

