"""Helpers for the ports tests: build a port's image with `make NAME`, boot it, run the native program beside it."""
import functools
import os
import subprocess

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SKIFF = os.path.join(ROOT, "tools", "skiff")
OUT = os.path.join(ROOT, "build", "tests", "ports")
BUILD_TIMEOUT = 900  # a cold build generates SQLite's amalgamation and compiles it
BOOT_TIMEOUT = 120   # the VM's own --timeout; TCG on a busy 2-core host is slow
NATIVE_ENV = dict(os.environ, TZ="UTC", LC_ALL="C")  # the guest has no time zone and no locale


@functools.lru_cache(maxsize=None)
def build_port(target, image, files):
    """`make TARGET` with FILES (a repo folder) as the initrd, writing OUT/IMAGE; its path."""
    out = os.path.join(OUT, target, image)
    var = target.upper()
    r = subprocess.run(["make", "-s", "-C", ROOT, target, f"{var}_FILES={os.path.join(ROOT, files)}",
                        f"{var}_OUT={out}"], stdin=subprocess.DEVNULL, capture_output=True,
                       text=True, timeout=BUILD_TIMEOUT)
    assert r.returncode == 0, f"make {target} failed:\n{r.stdout}{r.stderr}"
    return out


def strip_log(err):
    """The guest's stderr without the kernel's own `skiff: ...` lines."""
    return "".join(l for l in err.splitlines(keepends=True) if not l.startswith("skiff: "))


def boot(image, args, disk=None, mem=None, timeout=BOOT_TIMEOUT, volumes=()):
    """Boot image with argv[1..] = args; (status, stdout bytes, stderr text without log lines).
    volumes: `-v` values (HOST:GUEST[:ro])."""
    cmd = [SKIFF, "run", image, "--quiet", "--timeout", str(timeout)]
    for v in volumes:
        cmd += ["-v", v]
    if disk:
        cmd += ["--disk", disk]
    if mem:
        cmd += ["--mem", mem]
    r = subprocess.run(cmd + ["--", *args], stdin=subprocess.DEVNULL, capture_output=True,
                       timeout=timeout + 60)
    assert r.returncode != 124, f"{os.path.basename(image)} {args}: VM timed out\n" \
        f"{r.stderr.decode(errors='replace')}"
    return r.returncode, r.stdout, strip_log(r.stderr.decode(errors="replace"))


def native(cmd, cwd, timeout=120):
    """Run the native program; (status, stdout bytes, stderr text)."""
    r = subprocess.run(cmd, cwd=cwd, env=NATIVE_ENV, stdin=subprocess.DEVNULL,
                       capture_output=True, timeout=timeout)
    return r.returncode, r.stdout, r.stderr.decode(errors="replace")


def first_difference(a, b):
    """Where two outputs part, as one readable line."""
    la, lb = a.decode(errors="replace").splitlines(), b.decode(errors="replace").splitlines()
    for i, (x, y) in enumerate(zip(la, lb)):
        if x != y:
            return f"line {i + 1}: skiff {x!r} vs native {y!r}"
    return f"skiff has {len(la)} lines, native {len(lb)}"
