"""`skiff run` -e/--env, --env-file, -w/--workdir, --hostname (Docker's) -> kernel arguments.

They travel on the guest command line as quoted kernel arguments `hostname=NAME`,
`workdir=DIR` and one `env=KEY=VALUE` per variable, so any byte but NUL survives (the
kernel's splitter takes `"` and `\\` escapes); libc-shim (libc-shim/environ.c) builds
`environ` from Docker's defaults (PATH, HOME=/, HOSTNAME) overridden in order by these."""
import os
import re

from .cmdline import guest_cmdline
from .common import EXIT_USAGE, EXIT_VM_DID_NOT_START, CliError

HOSTNAME_MAX = 63               # one DNS label (libc-shim/hostname.c holds 64 bytes)
_LABEL = re.compile(r"^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$")
KARGS_MAX = 256                 # kernel/cmdline.h CMDLINE_MAX_ARGS


def add_arguments(p):
    p.add_argument("-e", "--env", dest="env", action="append", default=[],
                   metavar="KEY[=VALUE]",
                   help="set an environment variable (KEY alone: the host's value, or not "
                   "set if the host has none); repeatable, later ones win")
    p.add_argument("--env-file", dest="env_files", action="append", default=[],
                   metavar="FILE",
                   help="read KEY=VALUE or KEY lines from FILE (# comments and blank lines "
                   "skipped); applied before -e")
    p.add_argument("-w", "--workdir", metavar="DIR",
                   help="the app's working directory (absolute; created if missing where "
                   "the file system is writable, e.g. under /tmp)")
    p.add_argument("--hostname", metavar="NAME",
                   help="gethostname(), uname().nodename and $HOSTNAME (default: the "
                   "image's file name without its suffix)")


def default_hostname(image):
    """hello.elf -> "hello": letters, digits and '-', at most 63, never empty."""
    stem = os.path.basename(image).split(".")[0]
    name = re.sub(r"[^A-Za-z0-9-]+", "-", stem).strip("-")[:HOSTNAME_MAX].strip("-")
    return name or "skiff"


def _env_entry(text, where):
    """KEY=VALUE stays; KEY takes the host's value (None when the host has none)."""
    key, eq, _ = text.partition("=")
    if not key:
        raise CliError(f"{where} {text!r}: empty variable name", EXIT_USAGE)
    if eq:
        return text
    value = os.environ.get(key)
    return None if value is None else f"{key}={value}"


def _read_env_file(path):
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as err:
        raise CliError(f"--env-file {path}: {err.strerror}", EXIT_VM_DID_NOT_START) from None
    entries = []
    for line in os.fsdecode(data).splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        entries.append(_env_entry(line, f"--env-file {path}:"))
    return entries


def environment(args):
    """The KEY=VALUE settings in the order given: env files first, then -e."""
    entries = [e for path in args.env_files for e in _read_env_file(path)]
    entries += [_env_entry(text, "-e") for text in args.env]
    return [e for e in entries if e is not None]


def kernel_words(args):
    """The kernel arguments for --hostname, -w and the environment (unquoted)."""
    hostname = args.hostname if args.hostname is not None else default_hostname(args.image)
    if not _LABEL.match(hostname):
        raise CliError(f"--hostname {hostname!r}: letters, digits and '-' (not first or "
                       f"last), at most {HOSTNAME_MAX}", EXIT_USAGE)
    words = [f"hostname={hostname}"]
    if args.workdir is not None:
        if not args.workdir.startswith("/"):
            raise CliError(f"-w {args.workdir!r}: the working directory must be an absolute "
                           "path", EXIT_USAGE)
        words.append(f"workdir={args.workdir}")
    return words + [f"env={e}" for e in environment(args)]


def run_cmdline(args, cmdline_max, host_checks=True, extra_words=()):
    """The guest command line for `skiff run`, checked against the kernel's limits;
    extra_words (netpriv.py's nic= and host=) follow this file's own."""
    words = kernel_words(args) + list(extra_words)
    cmdline = guest_cmdline(args.append, os.path.basename(args.image), args.app_args, words)
    size = len(os.fsencode(cmdline))
    if not host_checks:
        return cmdline
    if size > cmdline_max:
        env_size = sum(len(os.fsencode(w)) + 3 for w in words if w.startswith("env="))
        more = f" ({env_size} of them the environment)" if env_size else ""
        raise CliError(f"the guest command line is {size} bytes{more}, more than the "
                       f"kernel's {cmdline_max}", EXIT_USAGE)
    nkargs = len(words) + len(args.append.split())
    if nkargs > KARGS_MAX:
        raise CliError(f"{nkargs} kernel arguments (environment variables count one each), "
                       f"more than the kernel's {KARGS_MAX}", EXIT_USAGE)
    return cmdline
