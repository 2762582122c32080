"""Build what the bench runs: the app as a skiff image and as a static Linux program, the helpers, the floor kernel."""
import glob
import os
import subprocess
import sys

from ..common import ROOT, CliError

SKIFF = os.path.join(ROOT, "tools", "skiff")
APPS = os.path.join(ROOT, "apps")
HELPERS = os.path.join(APPS, "bench", "linux")
CPU_JOB = os.path.join(APPS, "bench", "cpu.c")
STREAM_JOB = os.path.join(APPS, "bench", "stream.c")
DGEMM_JOB = os.path.join(APPS, "bench", "dgemm.c")
NO_SIGPIPE = os.path.join(HELPERS, "nosigpipe.c")
# The Linux build of an app: the flags skiff gives apps (mk/toolchain.mk) that mean
# anything to a hosted gcc, static, stripped like the skiff image.
LINUX_CFLAGS = ["-O2", "-std=gnu11", "-static", "-s"]


def resolve_app(spec):
    """APP as given on the command line → (name, [C sources]). A .c file, a folder of them,
    or a name looked up as apps/NAME/ then apps/bench/NAME.c."""
    candidates = [spec] if os.path.exists(spec) else [
        os.path.join(APPS, spec), os.path.join(APPS, "bench", f"{spec}.c")]
    for path in candidates:
        if os.path.isdir(path):
            sources = sorted(glob.glob(os.path.join(glob.escape(path), "*.c")))
            if sources:
                return os.path.basename(os.path.abspath(path)), sources
        elif path.endswith(".c") and os.path.isfile(path):
            return os.path.splitext(os.path.basename(path))[0], [os.path.abspath(path)]
    raise CliError(f"no app {spec!r}: not a .c file, a folder of them, apps/{spec}/ or "
                   f"apps/bench/{spec}.c", 2)


def _fresh(out, inputs):
    try:
        built = os.path.getmtime(out)
    except OSError:
        return False
    return all(os.path.getmtime(path) <= built for path in inputs)


def _run(cmd, what):
    result = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    if result.returncode != 0:
        sys.stderr.write(result.stdout)
        raise CliError(f"building {what} failed ({' '.join(cmd[:2])} ... status "
                       f"{result.returncode})")


def skiff_image(name, sources, work, files=None, defines=()):
    """tools/skiff build SOURCES -o WORK/NAME.elf [--files DIR] [-D NAME...] (make decides
    what is stale)."""
    out = os.path.join(work, f"{name}.elf")
    extra = (["--files", files] if files else []) + [f"-D{d}" for d in defines]
    _run([SKIFF, "build", "-q", *sources, *extra, "-o", out], f"the skiff image of {name}")
    return out


def linux_static(name, sources, work, defines=()):
    """The same sources for Linux: gcc -static, stripped, with SIGPIPE ignored as on skiff
    (apps/bench/linux/nosigpipe.c)."""
    out = os.path.join(work, f"{name}.linux")
    if not _fresh(out, sources + [NO_SIGPIPE]):
        _run(["gcc", *LINUX_CFLAGS, *[f"-D{d}" for d in defines], "-o", out, *sources,
              NO_SIGPIPE, "-lm"],
             f"{name} for Linux (gcc -static; needs libc6-dev)")
    return out


def helper(name, work):
    """apps/bench/linux/NAME.c built static: measure (the launcher) or init (the VM's /init)."""
    source = os.path.join(HELPERS, f"{name}.c")
    out = os.path.join(work, f"bench-{name}")
    if not _fresh(out, [source]):
        _run(["gcc", "-O2", "-static", "-Wall", "-Wextra", "-Werror", "-o", out, source],
             f"apps/bench/linux/{name}.c")
    return out


def trivial_kernel(work):
    """The VMM floor: tools/probe/trivial.S (prints hello, exits) as a PVH ELF."""
    out = os.path.join(work, "trivial.elf")
    _run([SKIFF, "build-trivial", out], "the trivial kernel")
    return out
