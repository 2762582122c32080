"""A server variant of the bench, started in the background: ready when its banner is out and it answers; killed after."""
import os
import signal
import socket
import subprocess
import tempfile
import time

READY_TIMEOUT_S = 60
POLL_S = 0.02


class ServerError(Exception):
    """The server did not come up; the message says why, in one line."""


def free_port():
    """A TCP port on 127.0.0.1 nobody listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """with Server(argv, banner): runs argv in its own process group, output to files;
    entering waits for banner on its stdout; leaving kills the group, then cleanup()."""

    def __init__(self, argv, banner, cleanup=None):
        self.argv, self.banner, self.cleanup = argv, banner, cleanup
        self.out = tempfile.TemporaryFile()
        self.err = tempfile.TemporaryFile()
        self.proc = None

    def output(self):
        self.out.seek(0)
        return self.out.read()

    def why_stopped(self):
        self.err.seek(0)
        tail = self.err.read().decode(errors="replace").strip().splitlines()
        return f"exited with status {self.proc.returncode}" + (f": {tail[-1]}" if tail else "")

    def __enter__(self):
        self.proc = subprocess.Popen(self.argv, stdin=subprocess.DEVNULL, stdout=self.out,
                                     stderr=self.err, start_new_session=True)
        try:
            self._wait_banner()
        except BaseException:               # not up, or Ctrl-C: leave nothing running
            self.__exit__(None, None, None)
            raise
        return self

    def _wait_banner(self):
        deadline = time.monotonic() + READY_TIMEOUT_S
        while self.banner not in self.output():
            if self.proc.poll() is not None:
                raise ServerError(f"server {self.why_stopped()}")
            if time.monotonic() > deadline:
                raise ServerError(f"no {self.banner.decode()!r} within {READY_TIMEOUT_S} s")
            time.sleep(POLL_S)

    def __exit__(self, *exc):
        if self.proc is not None and self.proc.returncode is None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.proc.wait()
        if self.cleanup:
            self.cleanup()
        self.out.close()
        self.err.close()
        return False


def _answers(kind, port):
    with socket.create_connection(("127.0.0.1", port), timeout=2) as s:
        if kind == "http":
            s.sendall(b"GET /index.html HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n")
            return s.recv(64).startswith(b"HTTP/1.1 200")
        s.sendall(b"x")
        return s.recv(1) == b"x"


def wait_ready(kind, port, server):
    """Until one HTTP GET (kind "http") or one echo round trip works through the port."""
    until_answers(server, lambda: _answers(kind, port), f"port {port}")


def until_answers(server, answers, where, timeout=READY_TIMEOUT_S, errors=(OSError,), pause=0.1):
    """Call answers() until it is true; ServerError when the server stops or timeout s pass
    (with the last error, one of errors, or "wrong answer")."""
    deadline = time.monotonic() + timeout
    last = "no answer"
    while time.monotonic() < deadline:
        if server.proc.poll() is not None:
            raise ServerError(f"server {server.why_stopped()}")
        try:
            if answers():
                return
            last = "wrong answer"
        except errors as err:
            last = str(err)
        time.sleep(pause)
    raise ServerError(f"{where} did not answer within {timeout} s ({last})")
