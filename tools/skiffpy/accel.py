"""Which accelerator can run real guest code on this host: a per-host verdict, probed once, cached.

KVM counts only if a probe guest that executes SSE instructions runs to the end under it;
nested paravirtual KVM (kvm_pvm) cannot emulate SSE and is ruled out without booting."""
import json
import os
import re
import subprocess

from .common import EXIT_VM_DID_NOT_START, CliError, qemu_binary, say
from .memsize import MIB
from .probes import probe_image
from .qemu import qemu_command

KVM_DEVICE = "/dev/kvm"
PVM_MODULE = "/sys/module/kvm_pvm"
PROBE_TIMEOUT_S = 10
PROBE_EXIT_STATUS = (0x31 << 1) | 1     # sse-probe.S writes 0x31 to isa-debug-exit
REASON_KVM_OK = "the SSE probe image ran under KVM"


def cache_path():
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "skiff", "accel.json")


def host_key():
    """What the verdict depends on: host kernel, the QEMU binary, /dev/kvm presence."""
    qemu = qemu_binary()
    resolved = qemu if os.sep in qemu else _which(qemu)
    try:
        st = os.stat(resolved)
        qemu_id = f"{os.path.realpath(resolved)}:{st.st_size}:{int(st.st_mtime)}"
    except (OSError, TypeError):
        qemu_id = f"{qemu}:missing"
    return {"kernel": os.uname().release, "qemu_id": qemu_id, "kvm": os.path.exists(KVM_DEVICE)}


def _which(name):
    for folder in os.environ.get("PATH", "").split(os.pathsep):
        candidate = os.path.join(folder, name)
        if os.access(candidate, os.X_OK):
            return candidate
    return None


def qemu_version():
    try:
        text = subprocess.run([qemu_binary(), "--version"], stdout=subprocess.PIPE,
                              stderr=subprocess.DEVNULL, text=True, timeout=10).stdout
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"
    match = re.search(r"version (\S+)", text)
    return match.group(1) if match else "unknown"


def probe():
    """Decide now: ("kvm"|"tcg", reason)."""
    if not os.path.exists(KVM_DEVICE):
        return "tcg", f"{KVM_DEVICE} is missing"
    try:
        os.close(os.open(KVM_DEVICE, os.O_RDWR | os.O_CLOEXEC))
    except OSError as err:
        return "tcg", f"{KVM_DEVICE} cannot be opened: {err.strerror}"
    if os.path.exists(PVM_MODULE):
        return "tcg", f"{KVM_DEVICE} is nested PVM, which cannot run SSE code"
    try:
        status = run_probe("kvm")
    except CliError as err:
        return "tcg", f"the KVM probe could not run: {err}"
    if status == PROBE_EXIT_STATUS:
        return "kvm", REASON_KVM_OK
    if status is None:
        return "tcg", f"the SSE probe image hung under KVM ({PROBE_TIMEOUT_S} s)"
    return "tcg", f"the SSE probe image failed under KVM (QEMU status {status})"


def run_probe(accel):
    """Boot sse-probe.elf under `accel`; QEMU's exit status, or None on timeout."""
    image = probe_image("sse-probe")
    # Debian's QEMU (or SKIFF_QEMU), the binary the verdict is keyed by: the lean build is
    # the same QEMU, and one verdict serves both
    cmd = qemu_command(image, mem=2 * MIB, accel=accel, out_path="/dev/null", log_path="/dev/null",
                       qemu=qemu_binary())
    try:
        return subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, timeout=PROBE_TIMEOUT_S).returncode
    except subprocess.TimeoutExpired:
        return None
    except OSError as err:
        raise CliError(f"cannot start {cmd[0]}: {err.strerror}") from None


def verdict(refresh=False):
    """The cached verdict for this host, probing (and caching) when stale or asked to."""
    key = host_key()
    path = cache_path()
    if not refresh:
        try:
            with open(path) as f:
                cached = json.load(f)
            if cached.get("key") == key and cached.get("accel") in ("kvm", "tcg"):
                return cached
        except (OSError, ValueError, AttributeError):
            pass
    accel, reason = probe()
    result = {"accel": accel, "reason": reason, "qemu": qemu_version(),
              "kernel": key["kernel"], "key": key}
    _write_cache(path, result)
    return result


def _write_cache(path, result):
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        tmp = f"{path}.{os.getpid()}.tmp"
        with open(tmp, "w") as f:
            json.dump(result, f, indent=1)
            f.write("\n")
        os.replace(tmp, path)
    except OSError:
        pass        # an unwritable cache only costs a probe next time


def choose(quiet=False):
    """Accelerator for `skiff run`: SKIFF_ACCEL wins, else the verdict (with a notice for TCG)."""
    forced = os.environ.get("SKIFF_ACCEL", "")
    if forced not in ("", "tcg", "kvm"):
        raise CliError(f"SKIFF_ACCEL={forced!r} is not valid (use tcg or kvm)", 2)
    if forced == "tcg":
        return "tcg"
    result = verdict()
    if forced == "kvm":
        if result["accel"] != "kvm":
            raise CliError(f"SKIFF_ACCEL=kvm, but KVM cannot run guests here: {result['reason']}",
                           EXIT_VM_DID_NOT_START)
        return "kvm"
    if result["accel"] == "tcg" and not quiet:
        say(f"skiff: using TCG: {result['reason']} (SKIFF_ACCEL=tcg skips this check)")
    return result["accel"]


def add_parser(commands):
    p = commands.add_parser("accel", help="say which accelerator skiff run uses here, and why",
                            description="Probe (or read the cached verdict) whether KVM can run "
                            "real guest code on this host; print it as one line. The verdict is "
                            "cached in $XDG_CACHE_HOME/skiff/accel.json (default ~/.cache/skiff), "
                            "keyed by host kernel, QEMU binary and /dev/kvm presence. "
                            "SKIFF_ACCEL=tcg|kvm overrides it in skiff run.")
    p.add_argument("--refresh", action="store_true", help="probe again, ignoring the cache")
    p.add_argument("--json", action="store_true", help="print the cached JSON record instead")
    p.set_defaults(func=main)


def main(args):
    result = verdict(refresh=args.refresh)
    if args.json:
        print(json.dumps(result))
    else:
        print(f"{result['accel']}: {result['reason']}")
    return 0
