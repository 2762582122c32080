"""Paths, exit codes and the one error type shared by every skiff command."""
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.realpath(__file__))))
BUILD = os.path.join(ROOT, "build")

# Exit statuses of `skiff run` besides the application's own 0-255.
EXIT_USAGE = 2
EXIT_TIMEOUT = 124
EXIT_VM_DID_NOT_START = 125
EXIT_REFUSED = 126
EXIT_INTERRUPTED = 130      # Ctrl-C: 128 + SIGINT (SIGTERM 143, SIGHUP 129: stopsignals.py)
EXIT_CRASHED = 134          # kernel panic or triple fault
EXIT_SIGPIPE = 141          # skiff's stdout reader went away: as a process killed by SIGPIPE


class CliError(Exception):
    """A failure reported as one line, `skiff <cmd>: message`, and an exit status."""

    def __init__(self, message, status=1):
        super().__init__(message)
        self.status = status


def qemu_binary():
    """The QEMU to run; SKIFF_QEMU overrides it (tests use it to simulate failures)."""
    return os.environ.get("SKIFF_QEMU") or "qemu-system-x86_64"


def say(line):
    """Write one diagnostic line to stderr."""
    sys.stderr.write(line + "\n")
    sys.stderr.flush()
