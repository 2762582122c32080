"""Tiny assembly guests from tools/probe/ (KVM probe, benchmark floor, hang), built with gcc -m32."""
import os
import subprocess
import tempfile

from .common import BUILD, ROOT, CliError

PROBE_SOURCES = os.path.join(ROOT, "tools", "probe")
PROBE_NAMES = ("sse-probe", "trivial", "hang")
PROBE_BUILD = os.path.join(BUILD, "tools")


def _inputs(name):
    return [os.path.join(PROBE_SOURCES, f) for f in (f"{name}.S", "probe.ld", "pvh-note.h")]


def build_probe(name, out):
    """Assemble and link tools/probe/<name>.S into the PVH ELF `out` (atomically replaced)."""
    if name not in PROBE_NAMES:
        raise CliError(f"unknown probe {name!r} (one of: {', '.join(PROBE_NAMES)})", 2)
    source, script, _ = _inputs(name)
    out_dir = os.path.dirname(os.path.abspath(out)) or "."
    os.makedirs(out_dir, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".elf", dir=out_dir)
    os.close(fd)
    cmd = ["gcc", "-m32", "-nostdlib", "-static", "-no-pie", f"-I{PROBE_SOURCES}",
           f"-Wl,-T,{script}", "-Wl,--build-id=none", "-o", tmp, source]
    try:
        result = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    except FileNotFoundError:
        os.unlink(tmp)
        raise CliError("gcc not found: it is needed to build the probe images") from None
    if result.returncode != 0:
        os.unlink(tmp)
        raise CliError(f"building {name}.S failed: {result.stdout.strip()}")
    os.replace(tmp, out)
    return out


def probe_image(name):
    """Path of build/tools/<name>.elf, rebuilt when any of its inputs is newer."""
    out = os.path.join(PROBE_BUILD, f"{name}.elf")
    try:
        built = os.path.getmtime(out)
        if all(os.path.getmtime(src) <= built for src in _inputs(name)):
            return out
    except OSError:
        pass
    return build_probe(name, out)
