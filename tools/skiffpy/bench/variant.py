"""The shape every bench variant has (skiff, Linux VM, container, process, floor), and the QEMU exit-line reader."""
from ..vmrun import EXIT_LINE


class Variant:
    """One way to run a Program. Subclasses set key/label and fill in the methods.

    key: the JSON/CSV name; label: the table's column heading; is_vm: gets a smallest-memory
    search; unavailable: None, or why it cannot run on this host (the table says so)."""
    key = ""
    label = ""
    is_vm = False
    runs_programs = True        # False: the VMM floor runs its own fixed guest
    poll_comm = None            # a descendant whose VmHWM is its peak RSS (a wrapped QEMU)

    def __init__(self):
        self.unavailable = None

    def prepare(self, program, work):
        """Build what this variant needs for program (an initramfs, a bundle)."""

    def argv(self, program, mem):
        raise NotImplementedError

    def judge(self, program, run):
        """None if the run did what the native program does, else a one-line reason."""
        if not run.ok(program.marker):
            return run.why_not(program.marker)
        return None

    def image(self, program):
        """(bytes, how they add up) of what this variant ships."""
        raise NotImplementedError

    def rss_kb(self, program, run):
        """Peak RSS of the VMM or runtime for a run, KiB; and what it covers."""
        return run.maxrss_kb, "wait4 ru_maxrss"

    def cleanup(self):
        """Called after a run had to be killed."""


def skiff_exit_status(log_bytes):
    """The status from a skiff guest's log (`skiff: exit N`), or None."""
    found = [m.group(1) for m in map(EXIT_LINE.match, log_bytes.splitlines()) if m]
    return int(found[-1]) if found else None
