"""One program the bench runs in every variant: its sources, its builds, its arguments, what its output starts with."""
import copy
import subprocess

from . import bench_build

MARKER_BYTES = 16


class Program:
    """name, sources, args; skiff_elf and linux_bin once built; marker: the first bytes of
    its native output, whose arrival counts as "first output" in every variant (a server,
    which never exits, names its own: its listening banner); files: a folder the program
    reads (the skiff image's initrd, /www in the Linux VM and the container)."""

    def __init__(self, name, sources, args=(), marker=None, files=None):
        self.name, self.sources, self.args = name, list(sources), list(args)
        self.skiff_elf = self.linux_bin = None
        self.marker = marker
        self.files = files
        self.native_output = b""

    def build(self, work):
        self.skiff_elf = bench_build.skiff_image(self.name, self.sources, work, self.files)
        self.linux_bin = bench_build.linux_static(self.name, self.sources, work)
        if self.marker is None:
            self.marker = self._marker()

    def with_args(self, args):
        """The same builds with other arguments."""
        other = copy.copy(self)
        other.args = list(args)
        return other

    def _marker(self):
        """The start of the native run's stdout, up to the first byte that depends on argv[0]
        (hello prints its own name), at most MARKER_BYTES."""
        result = subprocess.run([self.linux_bin, *self.args], stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, timeout=60)
        self.native_output = result.stdout
        first = result.stdout.split(b"\n", 1)[0]
        name = self.linux_bin.encode()
        if name in first:
            first = first[:first.index(name)]
        first = first[:MARKER_BYTES]
        if not first:
            raise RuntimeError(f"{self.name} printed nothing natively; the bench needs a first "
                               "line of output to time")
        return first


def floor_program(trivial_elf):
    """The VMM floor's guest as a Program: no sources, prints `hello`."""
    program = Program("trivial", [])
    program.skiff_elf = trivial_elf
    program.marker = program.native_output = b"hello\n"
    return program
