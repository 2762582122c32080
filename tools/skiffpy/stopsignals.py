"""SIGINT, SIGTERM and SIGHUP as one exception: `skiff run` stops QEMU, says one line, exits 128 + N."""
import signal
import sys

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
WORDS = {signal.SIGINT: "interrupted", signal.SIGTERM: "terminated (SIGTERM)",
         signal.SIGHUP: "hung up (SIGHUP)"}


class Stopped(BaseException):
    """skiff got a stop signal. A BaseException, so no `except Exception` swallows it;
    vm_stopped is set once a running VM was stopped for it."""

    def __init__(self, signum):
        super().__init__(signum)
        self.signum = signum
        self.vm_stopped = False
        self.mid_line = False       # stderr ends inside a line of the app's: start a new one

    @property
    def status(self):
        return 128 + self.signum

    def line(self, command):
        stopped = ", VM stopped" if self.vm_stopped else ""
        return f"{chr(10) if self.mid_line else ''}skiff {command}: {WORDS[self.signum]}{stopped}"


def report(stop, command):
    """The one line; quiet when stderr is gone too (a hung-up terminal)."""
    try:
        sys.stderr.write(stop.line(command) + "\n")
        sys.stderr.flush()
    except (OSError, ValueError):
        pass


def _raise_stopped(signum, frame):
    for sig in STOP_SIGNALS:        # the first one wins; the clean-up it starts runs unbroken
        signal.signal(sig, signal.SIG_IGN)
    raise Stopped(signum)


def install():
    """Turn the stop signals into Stopped (one skiff was started ignoring, as under nohup,
    stays ignored). The C launcher hands over with them blocked (one may be pending):
    unblocking here delivers it."""
    for sig in STOP_SIGNALS:
        if signal.getsignal(sig) != signal.SIG_IGN:
            signal.signal(sig, _raise_stopped)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)


def held():
    """Block the stop signals (around starting QEMU); returns the mask to restore."""
    return signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)


def restore(mask):
    """Undo held(): a signal that came meanwhile is raised now."""
    signal.pthread_sigmask(signal.SIG_SETMASK, mask)


def unblock_in_child():
    """In a child before exec: the default action for the stop signals skiff handles (a
    handler would swallow one pending here, or the parent-death SIGTERM, and QEMU would run
    on with no parent), then none blocked."""
    for sig in STOP_SIGNALS:
        try:
            if signal.getsignal(sig) not in (signal.SIG_IGN, signal.SIG_DFL):
                signal.signal(sig, signal.SIG_DFL)
        except ValueError:   # not the main thread: exec resets the handler anyway
            pass
    signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)
