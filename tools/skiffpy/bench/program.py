"""One program the bench runs in every variant: its sources, its builds, its arguments, what its output starts with."""
import copy
import subprocess

from . import build as bench_build

MARKER_BYTES = 16
WWW = "WWW/"        # an argument naming one of the program's files (for_variant)


class Program:
    """name, sources, args; skiff_elf and linux_bin once built; marker: the first bytes of
    its native output, whose arrival counts as "first output" in every variant (a server,
    which never exits, names its own: its listening banner); files: a folder the program
    reads (the skiff image's initrd, /www in the Linux VM and the container); an argument
    may name one of its files as WWW/NAME, which for_variant() turns into the path each
    variant sees; defines: -D options for both builds."""

    def __init__(self, name, sources, args=(), marker=None, files=None, defines=()):
        self.name, self.sources, self.args = name, list(sources), list(args)
        self.skiff_elf = self.linux_bin = None
        self.marker = marker
        self.files = files
        self.defines = list(defines)
        self.native_output = b""

    def build(self, work):
        self.skiff_elf = bench_build.skiff_image(self.name, self.sources, work, self.files,
                                                 self.defines)
        self.linux_bin = bench_build.linux_static(self.name, self.sources, work, self.defines)
        if self.marker is None:
            self.marker = self._marker()

    def for_variant(self, key):
        """The same program with WWW/ in its arguments made the files' folder as variant
        `key` sees it: / in the skiff image's initrd, /www in the Linux VM and the
        container, the folder itself for a host process."""
        if not self.files or not any(a.startswith(WWW) for a in self.args):
            return self
        inside = {"skiff": "/", "skiff_cli": "/", "linux_vm": "/www/", "container": "/www/",
                  "podman": "/www/"}.get(key, self.files.rstrip("/") + "/")
        return self.with_args([inside + a[len(WWW):] if a.startswith(WWW) else a
                               for a in self.args])

    def with_args(self, args):
        """The same builds with other arguments."""
        other = copy.copy(self)
        other.args = list(args)
        return other

    def native_run(self):
        """Run the Linux build on the host once (not a server: it must exit); its stdout,
        kept as native_output."""
        native = self.for_variant("process")
        result = subprocess.run([self.linux_bin, *native.args], stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, timeout=60)
        self.native_output = result.stdout
        return result.stdout

    def _marker(self):
        """The start of the native run's stdout, up to the first byte that depends on argv[0]
        (hello prints its own name), at most MARKER_BYTES."""
        first = self.native_run().split(b"\n", 1)[0]
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
