"""Shared helpers for the CLI tests: run tools/skiff, build the probe guests, fake QEMU."""
import atexit
import functools
import os
import shutil
import signal
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SKIFF = os.path.join(ROOT, "tools", "skiff")
FAKE_QEMU = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fake_qemu.py")

sys.path.insert(0, os.path.join(ROOT, "tools"))

from skiffpy.probes import probe_image  # noqa: E402


@functools.lru_cache(maxsize=None)
def scratch_dir():
    """One temporary folder per test session (copies of images, caches), removed at exit."""
    path = tempfile.mkdtemp(prefix="skiff-cli-test-")
    atexit.register(shutil.rmtree, path, True)
    return path


def cache_home():
    path = os.path.join(scratch_dir(), "cache")
    os.makedirs(path, exist_ok=True)
    return path


def image(name):
    """Path of a probe guest (trivial, hang, sse-probe), built once."""
    return probe_image(name)


def skiff_env(**overrides):
    """Environment for a skiff run: private cache, TCG forced unless told otherwise."""
    env = dict(os.environ)
    for key in ("SKIFF_ACCEL", "SKIFF_QEMU", "SKIFF_QEMU_LEAN", "SKIFF_VERBOSE"):
        env.pop(key, None)
    env["XDG_CACHE_HOME"] = cache_home()
    env["SKIFF_ACCEL"] = "tcg"
    for key, value in overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def skiff(*args, env=None, timeout=60):
    """Run tools/skiff; returns CompletedProcess with bytes stdout/stderr."""
    return subprocess.run([sys.executable, SKIFF, *args], env=env or skiff_env(),
                          stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, timeout=timeout)


def processes_mentioning(text):
    """PIDs whose command line contains `text` (to prove no QEMU was left behind)."""
    found = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                cmdline = f.read()
            with open(f"/proc/{pid}/stat") as f:
                state = f.read().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if text.encode() in cmdline and state != "Z":
            found.append(int(pid))
    return found


def default_stop_signals():
    """preexec_fn: SIGINT, SIGTERM, SIGHUP at their default action in the child. A runner
    started in the background (`make test &`, nohup) ignores some of them, and skiff keeps
    what it was given ignored."""
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, signal.SIG_DFL)


def children(pid):
    """The PIDs of pid's child processes (QEMU under skiff; make under a UEFI wrap)."""
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            return [int(k) for k in f.read().split()]
    except OSError:
        return []


def running(pid):
    """pid is a process that has not ended (not gone, not a zombie)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def fake_qemu_env(log=b"", out=b"", status=0, stderr=b"", **overrides):
    """Environment that makes skiff run tests/cli/fake_qemu.py, scripted by these values."""
    return skiff_env(SKIFF_QEMU=FAKE_QEMU, FAKE_QEMU_LOG=log.hex(), FAKE_QEMU_OUT=out.hex(),
                     FAKE_QEMU_STATUS=str(status), FAKE_QEMU_STDERR=stderr.hex(), **overrides)
