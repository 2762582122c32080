"""`skiff run -v/--volume HOST:GUEST[:ro]` (Docker's syntax): host directories shared with the
guest over virtio-9p (9P2000.L), checked before QEMU starts.

Each volume i is a QEMU `-fsdev local` with mount tag `skiffvol<i>` and the kernel argument
`vol=skiffvol<i>:GUEST[:ro]`, which tells libc-shim (libc-shim/fs/volumes.c) where to mount
it: QEMU's mount tags hold at most 31 bytes, too few for a mount point. security_model=none:
QEMU changes no owner, so what the guest creates belongs to the user who ran skiff."""
import os
import posixpath

from .common import EXIT_USAGE, EXIT_VM_DID_NOT_START, CliError

VOLUMES_MAX = 8          # libc-shim/fs/volumes.c VOLUMES_MAX
RESERVED = ("/", "/tmp", "/dev")


def add_arguments(p):
    p.add_argument("-v", "--volume", dest="volumes", action="append", default=[],
                   metavar="HOST:GUEST[:ro]",
                   help="share host directory HOST at GUEST in the guest (absolute, not /, "
                   "/tmp or /dev), read-write or :ro; repeatable; HOST must exist")


def parse(text):
    """'HOST:GUEST[:ro|:rw]' -> (host, guest, readonly), guest normalised; CliError if bad."""
    body, mode = text, "rw"
    for suffix in (":ro", ":rw"):
        if text.endswith(suffix):
            body, mode = text[:-3], suffix[1:]
    host, colon, guest = body.rpartition(":")
    if not colon or not host or not guest:
        raise CliError(f"-v {text!r}: expected HOST:GUEST[:ro]", EXIT_USAGE)
    if not guest.startswith("/"):
        raise CliError(f"-v {text}: the guest path {guest!r} must be absolute", EXIT_USAGE)
    if any(c.isspace() or c in '",\\' for c in guest) or not guest.isprintable():
        raise CliError(f"-v {text}: the guest path may not hold spaces, quotes, commas or "
                       "backslashes", EXIT_USAGE)
    guest = posixpath.normpath(guest)
    if guest.startswith("//"):
        guest = "/" + guest.lstrip("/")
    if guest in RESERVED:
        raise CliError(f"-v {text}: cannot mount a volume at {guest} (the guest's own "
                       f"{'root' if guest == '/' else guest})", EXIT_USAGE)
    if not os.path.exists(host):
        raise CliError(f"-v {text}: host directory {host} does not exist",
                       EXIT_VM_DID_NOT_START)
    if not os.path.isdir(host):
        raise CliError(f"-v {text}: {host} is not a directory", EXIT_VM_DID_NOT_START)
    if not os.access(host, os.R_OK | os.X_OK):
        raise CliError(f"-v {text}: {host} is not readable", EXIT_VM_DID_NOT_START)
    return os.path.abspath(host), guest, mode == "ro"


def volumes(args):
    """The checked volumes of args.volumes: [(host, guest, readonly)]."""
    out = [parse(text) for text in getattr(args, "volumes", [])]
    if len(out) > VOLUMES_MAX:
        raise CliError(f"-v: at most {VOLUMES_MAX} volumes", EXIT_USAGE)
    seen = set()
    for _, guest, _ in out:
        if guest in seen:
            raise CliError(f"-v: two volumes at {guest}", EXIT_USAGE)
        seen.add(guest)
    return out


def kernel_words(args):
    """`vol=skiffvol<i>:GUEST[:ro]` for each volume."""
    return [f"vol=skiffvol{i}:{guest}{':ro' if ro else ''}"
            for i, (_, guest, ro) in enumerate(volumes(args))]


def qemu_args(args, transport):
    """-fsdev/-device pairs; transport is 'device' (virtio-mmio) or 'pci'."""
    argv = []
    for i, (host, _, ro) in enumerate(volumes(args)):
        path = host.replace(",", ",,")
        argv += ["-fsdev", f"local,id=vol{i},path={path},security_model=none"
                 + (",readonly=on" if ro else ""),
                 "-device", f"virtio-9p-{transport},fsdev=vol{i},mount_tag=skiffvol{i}"]
    return argv
