"""`skiff build SOURCES... | DIR [-o OUT]`: link C sources into a bootable image via `make app`."""
import fcntl
import glob
import os
import re
import shlex
import subprocess
import sys

from .common import BUILD, EXIT_USAGE, ROOT, CliError
from . import cloudimage
from .initrd import initrd_source
from .probes import PROBE_NAMES, build_probe

# OUT's suffix picks the make target: mk/app.mk's PVH ELF, or mk/efi.mk's UEFI images.
MAKE_TARGETS = {".elf": "app", ".efi": "efi", ".img": "efi-img"}
EFI_MAKEFILES = ["-f", os.path.join(ROOT, "Makefile"), "-f", os.path.join(ROOT, "mk", "efi.mk")]
LOCK_FILE = os.path.join(BUILD, ".build.lock")


def add_parser(commands):
    p = commands.add_parser(
        "build", help="build an image from C sources",
        usage="skiff build SOURCES... | DIR [-o OUT] [--files DIR] [-I DIR] [-D NAME[=VALUE]] "
        "[--cflags FLAGS] [-j N] [-q] [-- ARGS...]",
        description="Compile and link C sources (or every *.c in DIR) with newlib and the "
        "skiff kernel into one PVH ELF image. The image name is OUT's stem, else DIR's name, "
        "else the first source's stem; OUT defaults to build/apps/NAME/NAME.elf. The "
        "unstripped image is written next to it as OUT.debug. An OUT ending in .efi gives a "
        "UEFI application (PE32+, the ELF inside a gnu-efi stub), one in .img a GPT disk "
        "image whose EFI System Partition boots it; their ELF and .debug stay in "
        "build/apps/NAME/efi/.")
    p.add_argument("sources", nargs="+", metavar="SOURCES")
    p.add_argument("-o", "--output", metavar="OUT",
                   help="image to write (suffix .elf, .efi, .img; .qcow2 for clouds, .oci.tar "
                   "for Kubernetes: see skiff build --help)")
    p.add_argument("--files", metavar="DIR",
                   help="put DIR's files into the image's initrd: the app reads them at / "
                   "(read-only; /tmp is writable)")
    p.add_argument("-I", dest="include_dirs", action="append", default=[], metavar="DIR",
                   help="add DIR to the include path (repeatable)")
    p.add_argument("-D", dest="defines", action="append", default=[], metavar="NAME[=VALUE]",
                   help="define a preprocessor macro (repeatable)")
    p.add_argument("--cflags", default="", metavar="FLAGS",
                   help="more compiler flags for the app's sources, e.g. --cflags \"-O0 -g\" or "
                   "--cflags=\"-O3 -Wno-unused\" "
                   "(the OS layers keep their own flags)")
    p.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1, metavar="N",
                   help="compile N sources at once (default: the number of CPUs)")
    p.add_argument("-q", "--quiet", action="store_true", help="do not print the result line")
    p.add_argument("--multiboot", action="store_true",
                   help="also carry a Multiboot v1 header (for loaders without PVH; QEMU then "
                   "boots through Multiboot, not PVH)")
    p.set_defaults(func=main)


def add_hidden_parsers(commands):
    p = commands.add_parser("build-trivial", description="Build tools/probe/trivial.S, the "
                            "floor kernel for benchmarks (prints hello, exits 0), into OUT.")
    p.add_argument("output", metavar="OUT")
    p.set_defaults(func=lambda args: _build_probe("trivial", args.output))
    p = commands.add_parser("build-probe", description="Build one of the tools/probe guests.")
    p.add_argument("name", choices=PROBE_NAMES)
    p.add_argument("output", metavar="OUT")
    p.set_defaults(func=lambda args: _build_probe(args.name, args.output))


def _build_probe(name, out):
    build_probe(name, out)
    print(os.path.abspath(out))
    return 0


def resolve_sources(items):
    """Absolute .c paths and the name a lone directory suggests (or None)."""
    sources, dir_name = [], None
    for item in items:
        if not os.path.exists(item):
            raise CliError(f"no such file or directory: {item}", EXIT_USAGE)
        if os.path.isdir(item):
            found = sorted(glob.glob(os.path.join(glob.escape(item), "*.c")))
            if not found:
                raise CliError(f"no .c files in {item}", EXIT_USAGE)
            sources += found
            dir_name = dir_name or os.path.basename(os.path.abspath(item))
        elif not item.endswith(".c"):
            raise CliError(f"{item}: not a .c file", EXIT_USAGE)
        else:
            sources.append(item)
    sources = [os.path.abspath(s) for s in sources]
    for source in sources:
        if any(ch.isspace() for ch in source):
            raise CliError(f"{source}: make cannot take paths with spaces", EXIT_USAGE)
    return sources, dir_name


def glue_cflags(argv):
    """`--cflags -O0` -> `--cflags=-O0`: argparse would take a value starting with '-'
    for an option of its own, though --help shows `--cflags FLAGS`."""
    out, rest = [], list(argv)
    while rest:
        word = rest.pop(0)
        out.append(f"--cflags={rest.pop(0)}" if word == "--cflags" and rest else word)
    return out


def extra_cflags(args):
    """The app's extra compiler flags as one make value, each flag shell-quoted."""
    flags = []
    for d in getattr(args, "include_dirs", []):
        if not os.path.isdir(d):
            raise CliError(f"-I {d}: no such directory", EXIT_USAGE)
        flags.append("-I" + os.path.abspath(d))
    for d in getattr(args, "defines", []):
        if not d or d.startswith("=") or any(ch.isspace() for ch in d.split("=", 1)[0]):
            raise CliError(f"-D {d!r}: expected NAME or NAME=VALUE", EXIT_USAGE)
        flags.append("-D" + d)
    try:
        flags += shlex.split(getattr(args, "cflags", "") or "")
    except ValueError as err:
        raise CliError(f"--cflags: {err}", EXIT_USAGE) from None
    return " ".join(shlex.quote(f).replace("$", "$$") for f in flags)


# ld: "APP.o: in function `f':\nSRC:LINE: multiple definition of `f'; OTHER.o:OSRC:OLINE: first defined here"
CLASH = re.compile(r"^(\S+?):(\d+): multiple definition of `([^']+)'; (\S+?):(\S*?):\d+: first defined here",
                   re.M)
LAYERS = [("/kernel/", "skiff's kernel API (include/skiff/)"), ("/libc-shim/", "skiff's libc-shim"),
          ("/net/", "skiff's network stack"), ("/drivers/", "skiff's drivers"),
          ("newlib", "newlib, the C library")]


def symbol_clash(make_output):
    """One clear line for the first symbol both the app and skiff define, or None."""
    m = CLASH.search(make_output)
    if not m:
        return None
    src, line, sym, other_obj, other_src = m.groups()
    where = next((what for key, what in LAYERS if key in other_obj or key in other_src),
                 os.path.basename(other_obj))
    return (f"{src}:{line}: the app defines `{sym}', which {where} also defines "
            f"({os.path.relpath(other_src, ROOT) if other_src.startswith(ROOT) else other_src}); "
            f"rename the app's")


def image_name(output, dir_name, sources):
    if output:
        return os.path.splitext(os.path.basename(output))[0]
    if dir_name:
        return dir_name
    return os.path.splitext(os.path.basename(sources[0]))[0]


def main(args):
    if args.output and cloudimage.wants(args.output):
        return cloudimage.main(args, build_image)
    if getattr(args, "app_args", None):
        raise CliError("arguments after -- are baked only into .qcow2 and .oci.tar outputs "
                       "(skiff run IMAGE -- ARGS passes them at boot)", EXIT_USAGE)
    return build_image(args)


def build_image(args):
    """Build args.output (.elf, .efi or .img; default the ELF under build/apps)."""
    if args.output:
        suffix = os.path.splitext(args.output)[1]
        if suffix not in MAKE_TARGETS:
            raise CliError(f"{args.output}: the output must end in .elf, .efi, .img, .qcow2 "
                           "or .oci.tar", EXIT_USAGE)
        if suffix != ".elf" and getattr(args, "multiboot", False):
            raise CliError("--multiboot makes an ELF; it cannot go with a .efi or .img output",
                           EXIT_USAGE)
    sources, dir_name = resolve_sources(args.sources)
    name = image_name(args.output, dir_name, sources)
    if getattr(args, "files", None):
        sources.append(initrd_source(args.files, os.path.join(BUILD, "apps", name, "initrd")))
    out = os.path.abspath(args.output or os.path.join(BUILD, "apps", name, f"{name}.elf"))
    try:
        os.makedirs(os.path.dirname(out), exist_ok=True)
    except OSError as err:
        raise CliError(f"cannot create {os.path.dirname(out)}: {err.strerror}", EXIT_USAGE) from None
    target = MAKE_TARGETS[os.path.splitext(out)[1]]
    cmd = ["make", "-s", "-C", ROOT, *(EFI_MAKEFILES if target != "app" else []), target,
           f"APP_NAME={name}", f"APP_SRCS={' '.join(sources)}", f"APP_OUT={out}"]
    if getattr(args, "multiboot", False):
        cmd.append("APP_MULTIBOOT=1")
    cflags = extra_cflags(args)
    if cflags:
        cmd.append(f"APP_EXTRA_CFLAGS={cflags}")
    jobs = getattr(args, "jobs", 1)
    if jobs < 1:
        raise CliError(f"-j {jobs}: must be at least 1", EXIT_USAGE)
    cmd.insert(1, f"-j{jobs}")
    os.makedirs(BUILD, exist_ok=True)
    with open(LOCK_FILE, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)          # shared objects: one build at a time
        result = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT)
    sys.stderr.buffer.write(result.stdout)        # warnings on success, errors on failure
    sys.stderr.flush()
    if result.returncode != 0:
        clash = symbol_clash(result.stdout.decode(errors="replace"))
        if clash:
            raise CliError(clash)
        raise CliError(f"make failed (status {result.returncode}) building {name}")
    if not os.path.exists(out):
        raise CliError(f"make succeeded but did not produce {out}")
    if not args.quiet:
        print(f"{out}  {os.path.getsize(out)} bytes")
    return 0
