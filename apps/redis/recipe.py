#!/usr/bin/python3
"""Port recipe for Redis: unpack Debian's pinned redis orig tarball into the cache, derive
redis-server's file list from its own Makefiles, and build it with `skiff build`.

    python3 apps/redis/recipe.py [-o OUT] [-j N] [--opt -Os]   # default OUT: build/apps/redis/redis.elf
    python3 apps/redis/recipe.py --print-sources       # the derived file list, one per line

Nothing from Redis is committed: the tarball comes from tools/deps.sh (sha256-pinned),
is unpacked into $CACHE/redis-VERSION, and built unmodified with MALLOC=libc (no
jemalloc): redis-server's REDIS_SERVER_OBJ (src/Makefile), Redis's Lua 5.1 with its
cjson/struct/cmsgpack/bit modules (deps/lua/src/Makefile's CORE_O and LIB_O), hiredis
(deps/hiredis/Makefile's OBJ) and hdr_histogram. src/release.h, which Redis's build
makes with mkreleasehdr.sh from git, is written with fixed values.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tarfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CACHE = os.environ.get("CACHE", os.path.join(ROOT, "build", "cache"))
SKIFF = os.path.join(ROOT, "tools", "skiff")
VERSION = "7.0.15"
SRC_DIR = os.path.join(CACHE, f"redis-{VERSION}")

# The flags Redis's own Makefiles give: src/Makefile (REDIS_STATIC, the deps' include
# dirs), deps/Makefile's LUA_CFLAGS, deps/hdr_histogram/Makefile's malloc wrapper.
DEFINES = ["REDIS_STATIC=", "LUA_ANSI", "ENABLE_CJSON_GLOBAL", "LUA_USE_MKSTEMP",
           'HDR_MALLOC_INCLUDE="hdr_redis_malloc.h"']
INCLUDES = ["deps/hiredis", "deps/linenoise", "deps/lua/src", "deps/hdr_histogram"]
# No -w: it would also silence -Werror=implicit-function-declaration (mk/toolchain.mk),
# which turned up Redis's calls to ceill and llroundl that newlib left undeclared. Without
# -Wall, Redis builds without a warning.
CFLAGS = ""

RELEASE_H = ('#define REDIS_GIT_SHA1 "00000000"\n#define REDIS_GIT_DIRTY "0"\n'
             '#define REDIS_BUILD_ID "skiff"\n')


def die(msg, status=1):
    print(f"redis recipe: {msg}", file=sys.stderr)
    sys.exit(status)


def fetch():
    """The verified tarball's path (tools/deps.sh downloads and checks it)."""
    r = subprocess.run(["sh", os.path.join(ROOT, "tools", "deps.sh"), "source", "redis"],
                       stdout=subprocess.PIPE, text=True, env=dict(os.environ, CACHE=CACHE))
    if r.returncode != 0:
        die("tools/deps.sh source redis failed")
    return r.stdout.strip().splitlines()[-1]


def unpack(tarball):
    stamp = os.path.join(SRC_DIR, ".unpacked-" + os.path.basename(tarball))
    if os.path.exists(stamp):
        return
    tmp = SRC_DIR + ".tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(tmp)
    with tarfile.open(tarball) as tar:
        top = f"redis-{VERSION}"
        members = []
        for m in tar.getmembers():
            if m.name != top and (not m.name.startswith(top + "/") or ".." in m.name.split("/")):
                die(f"{tarball}: unexpected member {m.name}")
            if m.name != top:
                m.name = m.name[len(top) + 1:]
                members.append(m)
        tar.extractall(tmp, members)
    if not os.path.exists(os.path.join(tmp, "src", "server.c")):
        die(f"{tarball} has no src/server.c")
    with open(os.path.join(tmp, "src", "release.h"), "w") as f:
        f.write(RELEASE_H)
    shutil.rmtree(SRC_DIR, ignore_errors=True)
    os.rename(tmp, SRC_DIR)
    open(stamp, "w").close()


def make_var(makefile, name):
    """The words of `NAME=...` in a Makefile (continuation lines joined)."""
    with open(os.path.join(SRC_DIR, makefile)) as f:
        text = f.read().replace("\\\n", " ")
    m = re.search(rf"^{name}\s*=(.*)$", text, re.M)
    if not m:
        die(f"{makefile}: no {name}")
    return m.group(1).split()


def sources():
    """redis-server's C files, derived from Redis's own Makefiles."""
    objs = [("src", o) for o in make_var("src/Makefile", "REDIS_SERVER_OBJ")]
    objs += [("deps/lua/src", o) for o in make_var("deps/lua/src/Makefile", "CORE_O")
             + make_var("deps/lua/src/Makefile", "LIB_O")]
    objs += [("deps/hiredis", o) for o in make_var("deps/hiredis/Makefile", "OBJ")]
    # deps/hdr_histogram/Makefile: libhdrhistogram.a: hdr_histogram.o
    hdr = re.search(r"^libhdrhistogram\.a:\s*(.*)$",
                    open(os.path.join(SRC_DIR, "deps/hdr_histogram/Makefile")).read(), re.M)
    objs += [("deps/hdr_histogram", o) for o in hdr.group(1).split()]
    files = []
    for d, o in objs:
        if not o.endswith(".o"):
            die(f"{d}: unexpected object name {o}")
        path = os.path.join(SRC_DIR, d, o[:-2] + ".c")
        if not os.path.exists(path):
            die(f"{path} is listed but missing")
        files.append(path)
    return files


def main():
    ap = argparse.ArgumentParser(description="Build redis-server as a skiff image.")
    ap.add_argument("-o", "--output", default=os.path.join(ROOT, "build", "apps", "redis", "redis.elf"))
    ap.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--opt", default="-O2", choices=["-O2", "-O3", "-Os"],
                    help="optimisation for Redis's sources (default -O2, Redis's own; -Os for size)")
    ap.add_argument("--print-sources", action="store_true")
    args = ap.parse_args()
    unpack(fetch())
    files = sources()
    if args.print_sources:
        print("\n".join(files))
        return 0
    cmd = [SKIFF, "build", *files, "-o", args.output, "-j", str(args.jobs), f"--cflags={CFLAGS} {args.opt}"]
    for inc in INCLUDES:
        cmd += ["-I", os.path.join(SRC_DIR, inc)]
    for d in DEFINES:
        cmd += ["-D", d]
    return subprocess.run(cmd).returncode


if __name__ == "__main__":
    sys.exit(main())
