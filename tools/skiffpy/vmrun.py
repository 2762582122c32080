"""Run QEMU for one guest: relay its streams, enforce --timeout, map the exit line to a status.

The log stream (debugcon) arrives on a pipe; lines `skiff: exit N`, `skiff: panic ...` and
`skiff: refused ...` decide the status. With `console` the guest's stdio travels on the
console link (a virtio-console on one end of a socketpair, include/skiff/hostcon.h):
stdout and stderr frames in the order the app wrote them, and skiff's own stdin the other
way (ended by an EOF frame). COM1 (the guest's stdout without the link) comes through a
pipe too. skiff itself writes everything to its fds 1 and 2, so any redirection of them
(`> f 2>&1`, pipes, `>>`) sees the bytes appended in order. A stdout reader that goes
away stops the VM: status 141, as a process killed by SIGPIPE.

A stdout filter (UEFI boots: efirun.FirmwareFilter) sees COM1's bytes first: its feed(chunk)
returns what reaches stdout; once its `failure` is set (one line) the VM is stopped and the
status is 125; if it never saw the guest start (`started` false) and no exit line came,
the VM did not start (125) and its `explain()` lines say why."""
import collections
import ctypes
import os
import re
import selectors
import signal
import socket
import subprocess
import threading
import time

from . import stopsignals
from .qemu import qemu_environ
from .timeserve import TimeService
from .common import (EXIT_CRASHED, EXIT_REFUSED, EXIT_SIGPIPE, EXIT_TIMEOUT,
                     EXIT_VM_DID_NOT_START, say)

EXIT_LINE = re.compile(rb"^skiff: exit (\d+)\s*$")
PANIC_PREFIX = b"skiff: panic"
REFUSED_PREFIX = b"skiff: refused"
KERNEL_PREFIX = b"skiff: "
PR_SET_PDEATHSIG = 1
LONGEST_LOG_LINE = 64 * 1024   # a longer run without a newline is forwarded as it stands
HIDDEN_LINES_KEPT = 64         # --quiet: kernel lines replayed if the VM panics or crashes


def _die_with_parent_hook():
    """preexec_fn: QEMU gets SIGTERM if skiff dies (even by SIGKILL), so no VM is left behind;
    and the stop signals, held while QEMU starts, are not blocked in it."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError:
        return stopsignals.unblock_in_child
    parent = os.getpid()

    def hook():
        stopsignals.unblock_in_child()
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
        if os.getppid() != parent:
            os._exit(1)
    return hook


# include/skiff/hostcon.h: frame kinds and the 4-byte header (kind, 24-bit length LE).
FRAME_STDIN, FRAME_STDOUT, FRAME_STDERR, FRAME_STDIN_EOF = 0, 1, 2, 3
FRAME_HEADER = 4
FRAME_MAX = 65532
TTY_POLL_S = 0.2   # a background job does not read the terminal (SIGTTIN) until foreground


def _frame(kind, payload=b""):
    return bytes((kind,)) + len(payload).to_bytes(3, "little") + payload


class ConsoleLink:
    """The host end of the console link: frames from the guest to fds 1 and 2."""

    def __init__(self):
        self.buf = bytearray()
        self.stdout_closed = False
        self.bad = None            # one line when the guest sent something that is no frame

    def feed(self, chunk):
        buf = self.buf
        buf += chunk
        pos, end = 0, len(buf)
        try:
            while end - pos >= FRAME_HEADER:
                kind = buf[pos]
                length = int.from_bytes(buf[pos + 1:pos + FRAME_HEADER], "little")
                if kind not in (FRAME_STDOUT, FRAME_STDERR) or length > FRAME_MAX:
                    self.bad = f"bad frame from the guest (kind {kind}, {length} bytes)"
                    return
                if end - pos - FRAME_HEADER < length:
                    break
                payload = buf[pos + FRAME_HEADER:pos + FRAME_HEADER + length]
                pos += FRAME_HEADER + length
                if kind == FRAME_STDERR:
                    _write_all(2, payload)
                elif not _write_all(1, payload):
                    self.stdout_closed = True
                    return
        finally:
            del buf[:pos]


def _pump_stdin(sock):
    """Thread: skiff's stdin to the guest as frames, then the EOF frame. Blocks where the
    guest does not read (the link pushes back); gives up quietly when the VM is gone."""
    try:
        tty = os.isatty(0)
        while True:
            while tty and not _foreground():
                time.sleep(TTY_POLL_S)
            try:
                data = os.read(0, FRAME_MAX)
            except OSError:        # EIO: the terminal went away; EBADF
                data = b""
            if not data:
                break
            sock.sendall(_frame(FRAME_STDIN, data))
        sock.sendall(_frame(FRAME_STDIN_EOF))
    except OSError:
        pass


def _foreground():
    try:
        return os.tcgetpgrp(0) == os.getpgrp()
    except OSError:
        return True


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


_stderr_mid_line = False      # the last byte skiff wrote to fd 2 was no newline


def _write_all(fd, data):
    global _stderr_mid_line
    if fd == 2 and data:
        _stderr_mid_line = not data.endswith(b"\n")
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


def run_vm(build_command, *, timeout=None, quiet=False, verbose=False, stdout_filter=None,
           console=False):
    """Boot the VM. build_command(out_path, log_path) gives QEMU's argv; with console,
    build_command(out_path, log_path, console_fd). Returns skiff's status; a stop signal
    (stopsignals.Stopped; a KeyboardInterrupt where they were not installed) stops QEMU
    and propagates as Stopped with vm_stopped set."""
    _open_standard_fds()
    log_r, log_w = os.pipe()
    out_r, out_w = os.pipe()
    host = guest = None
    paths = [f"/proc/self/fd/{out_w}", f"/proc/self/fd/{log_w}"]
    passed = [log_w, out_w]
    if console:
        host, guest = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        passed.append(guest.fileno())
        paths.append(guest.fileno())
    argv = build_command(*paths)
    clock = TimeService()                   # host wall time on COM2 (kernel/clock_host.c)
    argv = argv[:1] + clock.qemu_args() + argv[1:]
    passed.append(clock.fd)
    proc = None
    try:
        # Held while the helper threads are born (so a stop signal only ever reaches this
        # one: their mask is inherited) and until proc is known.
        mask = stopsignals.held()
        try:
            clock.start()                   # serving before the guest can ask
            proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                    pass_fds=passed, preexec_fn=_die_with_parent_hook(),
                                    env=qemu_environ(os.environ))
            if host is not None:
                threading.Thread(target=_pump_stdin, args=(host,), daemon=True).start()
        except OSError as err:
            say(f"skiff run: VM did not start: cannot run {argv[0]}: {err.strerror}")
            return EXIT_VM_DID_NOT_START
        finally:
            for fd in (log_w, out_w, clock.fd):
                os.close(fd)
            if guest is not None:
                guest.close()
            stopsignals.restore(mask)
        return _supervise(proc, log_r, out_r, host, timeout, quiet, verbose, stdout_filter)
    except (stopsignals.Stopped, KeyboardInterrupt) as err:
        stop = err if isinstance(err, stopsignals.Stopped) else stopsignals.Stopped(signal.SIGINT)
        stop.vm_stopped = proc is not None
        stop.mid_line = _stderr_mid_line
        _stop(proc)
        raise stop from None
    finally:
        for fd in (log_r, out_r):
            _close_quietly(fd)
        if host is not None:
            # shutdown, not close: the stdin thread may still hold the socket
            try:
                host.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


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


def _supervise(proc, log_r, out_r, host, timeout, quiet, verbose, stdout_filter=None):
    log = LogStream(quiet, verbose)
    link = ConsoleLink()
    qemu_err, qemu_complained = b"", False
    qemu_err_fd = proc.stderr.fileno()
    sel = selectors.DefaultSelector()
    sel.register(log_r, selectors.EVENT_READ, "log")
    sel.register(qemu_err_fd, selectors.EVENT_READ, "qemu")
    sel.register(out_r, selectors.EVENT_READ, "out")
    if host is not None:
        sel.register(host.fileno(), selectors.EVENT_READ, "con")
    deadline = None if timeout is None else time.monotonic() + timeout
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
        # The app's streams before the kernel log when both are ready: what the app wrote
        # before a panic or its exit comes first.
        for key, _ in sorted(sel.select(remaining), key=lambda event: event[0].data == "log"):
            try:
                chunk = os.read(key.fd, 65536)
            except ConnectionResetError:    # QEMU left with stdin bytes the app never read
                chunk = b""
            if not chunk:
                sel.unregister(key.fd)
            elif key.data == "log":
                log.feed(chunk)
            elif key.data == "con":
                link.feed(chunk)
                if link.stdout_closed:
                    _stop(proc)
                    return EXIT_SIGPIPE
                if link.bad:
                    _stop(proc)
                    say(f"skiff run: {link.bad}; VM stopped")
                    return EXIT_CRASHED
            elif key.data == "out":
                if stdout_filter is not None:
                    chunk = stdout_filter.feed(chunk)
                    if stdout_filter.failure:
                        _stop(proc)
                        say(f"skiff run: VM did not start: {stdout_filter.failure}")
                        return EXIT_VM_DID_NOT_START
                if not _write_all(1, chunk):
                    _stop(proc)
                    return EXIT_SIGPIPE
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

