#!/usr/bin/env python3
"""skiff's fuzz targets: build them with clang's libFuzzer, replay their checked-in inputs,
fuzz each for a bounded time, and report executions, corpus and crashes.

    tests/fuzz/fuzz.py [--seconds N] [--jobs N] [--replay-only] [TARGET...]
    make fuzz                      (FUZZ_SECONDS=N, default 60 per target)

Targets are tests/fuzz/targets/fuzz_*.c (LLVMFuzzerTestOneInput). Each names the sources
it is linked with on "// needs:" lines, as the unit tests do; "lwip" stands for lwIP's
core as mk/net.mk lists it (build/cache/lwip-2.1.3, unpacked by `make lwip-src`),
built with tests/fuzz/lwip/lwipopts.h. "// cflags:" lines add compiler flags, "// fuzz-args:"
lines libFuzzer flags.
Checked in: seeds in tests/fuzz/corpus/<target>/, crash inputs whose bugs are fixed in
tests/fuzz/regress/<target>/. Written: build/fuzz/<target> (the binaries),
build/fuzz/corpus/<target>/ (the corpus grown so far, reused by the next run),
build/fuzz/crashes/<target>/ (reproducers), build/fuzz/results.json and report.md.
A crash saves its reproducer there and makes the exit status 1.
"""
import argparse
import concurrent.futures
import glob
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HERE = os.path.join(ROOT, "tests", "fuzz")
TARGETS = os.path.join(HERE, "targets")
OUT = os.path.join(ROOT, "build", "fuzz")
SANITIZE = "address,undefined"
CFLAGS = ["-g", "-O1", "-fno-omit-frame-pointer", "-fno-sanitize-recover=all",
          "-fsanitize=fuzzer-no-link," + SANITIZE]
OUR_CFLAGS = ["-std=gnu11", "-Wall", "-Wextra", "-Werror"]
# lwIP is not ours to fix: no warnings, and no alignment checks (its headers
# reach packed wire structures through plain pointers, fine on x86-64).
LWIP_CFLAGS = ["-w", "-fno-sanitize=alignment"]
LIBFUZZER_FLAGS = ["-timeout=10", "-rss_limit_mb=2048", "-print_final_stats=1"]


class FuzzError(Exception):
    """A build or run failure, with the tool's output."""

    def __init__(self, message, output=""):
        super().__init__(message)
        self.output = output


def clang():
    for name in ("clang-14", "clang"):
        path = shutil.which(name)
        if path:
            return path
    raise FuzzError("clang not found (sh tools/deps.sh fuzz installs it)")


def targets():
    return sorted(os.path.basename(p)[len("fuzz_"):-2]
                  for p in glob.glob(os.path.join(TARGETS, "fuzz_*.c")))


def header_lines(path, key):
    """Words on "// key: ..." lines of a target's source."""
    words = []
    with open(path, encoding="utf-8") as f:
        for line in f.readlines()[:40]:
            m = re.match(r"\s*//\s*" + re.escape(key) + r":\s*(.*)$", line)
            if m:
                words += m.group(1).split()
    return words


def make_var(text, name):
    """A variable's value from a make fragment (simple := lines, then += lines, with \\
    continuations)."""
    m = re.search(r"^" + name + r"\s*:?=\s*((?:.*\\\n)*.*)$", text, re.M)
    if not m:
        raise FuzzError(f"mk/net.mk: no {name}")
    words = m.group(1).replace("\\\n", " ").split()
    for more in re.finditer(r"^" + name + r"\s*\+=\s*((?:.*\\\n)*.*)$", text, re.M):
        words += more.group(1).replace("\\\n", " ").split()
    return words


def lwip_dir():
    with open(os.path.join(ROOT, "mk", "net.mk"), encoding="utf-8") as f:
        version = make_var(f.read(), "LWIP_VERSION")[0]
    cache = os.environ.get("CACHE") or os.path.join(ROOT, "build", "cache")  # as mk/config.mk
    return os.path.join(cache, "lwip-" + version)


def lwip_sources():
    """lwIP's files as skiff builds them, less the sequential and socket APIs (NO_SYS)."""
    with open(os.path.join(ROOT, "mk", "net.mk"), encoding="utf-8") as f:
        files = make_var(f.read(), "LWIP_FILES")
    src = os.path.join(lwip_dir(), "src")
    return [os.path.join(src, p) for p in files if not p.startswith("api/")]


def ensure_lwip():
    """`make lwip-src`: fetch (pinned, verified) and unpack lwIP unless done."""
    proc = subprocess.run(["make", "-s", "-C", ROOT, "lwip-src"], stdin=subprocess.DEVNULL,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if proc.returncode != 0:
        raise FuzzError("make lwip-src failed", proc.stdout)


def run(cmd, timeout=600, env=None):
    proc = subprocess.run(cmd, cwd=ROOT, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, errors="replace",
                          timeout=timeout, env=env)
    return proc.returncode, proc.stdout


def stale(obj, dep):
    """Does obj need rebuilding? Its .d file names every header it read."""
    if not (os.path.exists(obj) and os.path.exists(dep)):
        return True
    mtime = os.path.getmtime(obj)
    with open(dep, encoding="utf-8") as f:
        text = f.read().replace("\\\n", " ")
    deps = text.split(":", 1)[1].split() if ":" in text else []
    return any(not os.path.exists(d) or os.path.getmtime(d) > mtime for d in deps)


def compile_one(cc, src, flags, objdir):
    rel = os.path.relpath(src, ROOT) if src.startswith(ROOT + os.sep) else src.lstrip("/")
    rel = re.sub(r"^.*/(lwip-[^/]+/)", r"\1", rel)
    obj = os.path.join(objdir, rel[:-2] + ".o")
    dep = obj[:-2] + ".d"
    if stale(obj, dep):
        os.makedirs(os.path.dirname(obj), exist_ok=True)
        status, out = run([cc] + flags + ["-MMD", "-MF", dep, "-c", src, "-o", obj])
        if status != 0:
            raise FuzzError(f"{os.path.relpath(src, ROOT)} does not compile", out)
    return obj


def build(name, jobs=2):
    """Compile (incrementally) and link build/fuzz/<name>; returns its path."""
    cc = clang()
    src = os.path.join(TARGETS, f"fuzz_{name}.c")
    needs = header_lines(src, "needs")
    incs = ["-I" + os.path.join(ROOT, "include"), "-I" + os.path.join(ROOT, "kernel")]
    ours, lwip = [src], []
    for n in needs:
        if n == "lwip":
            ensure_lwip()
            lwip = lwip_sources()
            incs = ["-I" + os.path.join(HERE, "lwip"), "-I" + os.path.join(ROOT, "net"),
                    "-I" + os.path.join(lwip_dir(), "src", "include")] + incs
        else:
            ours.append(os.path.join(ROOT, n))
    flags = CFLAGS + incs + header_lines(src, "cflags")
    key = hashlib.sha256(" ".join([cc] + flags).encode()).hexdigest()[:10]
    objdir = os.path.join(OUT, "obj-" + key)
    work = [(s, flags + OUR_CFLAGS) for s in ours] + [(s, flags + LWIP_CFLAGS) for s in lwip]
    with concurrent.futures.ThreadPoolExecutor(jobs) as pool:
        objs = list(pool.map(lambda w: compile_one(cc, w[0], w[1], objdir), work))
    exe = os.path.join(OUT, name)
    status, out = run([cc, "-fsanitize=fuzzer," + SANITIZE] + objs + ["-o", exe + ".tmp"])
    if status != 0:
        raise FuzzError(f"fuzz_{name} does not link", out)
    os.replace(exe + ".tmp", exe)
    return exe


def inputs(name, kind):
    d = os.path.join(HERE, kind, name)
    return sorted(glob.glob(os.path.join(d, "*"))) if os.path.isdir(d) else []


def fuzz_env():
    return dict(os.environ, ASAN_OPTIONS="detect_leaks=1:abort_on_error=0",
                UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1")


def replay(name, exe):
    """Run every seed and regression once; FuzzError names the input that fails."""
    files = inputs(name, "corpus") + inputs(name, "regress")
    if not files:
        return 0
    status, out = run([exe] + LIBFUZZER_FLAGS[:2] + files, env=fuzz_env())
    if status != 0:
        ran = re.findall(r"^Running: (.*)$", out, re.M)
        which = os.path.relpath(ran[-1], ROOT) if ran else "?"
        raise FuzzError(f"fuzz_{name} fails on {which}", out)
    return len(files)


def stat(out, key):
    m = re.search(r"^stat::" + key + r":\s*(\d+)", out, re.M)
    return int(m.group(1)) if m else None


def fuzz(name, exe, seconds):
    """Fuzz one target for `seconds`; returns its figures (crashes saved under build/fuzz/crashes)."""
    corpus = os.path.join(OUT, "corpus", name)
    crashes = os.path.join(OUT, "crashes", name)
    os.makedirs(corpus, exist_ok=True)
    os.makedirs(crashes, exist_ok=True)
    before = set(os.listdir(crashes))
    dirs = [d for d in (os.path.join(HERE, "corpus", name), os.path.join(HERE, "regress", name))
            if os.path.isdir(d)]
    cmd = ([exe, f"-max_total_time={seconds}", "-artifact_prefix=" + crashes + "/"]
           + LIBFUZZER_FLAGS + header_lines(os.path.join(TARGETS, f"fuzz_{name}.c"), "fuzz-args")
           + [corpus] + dirs)
    start = time.monotonic()
    status, out = run(cmd, timeout=seconds + 120, env=fuzz_env())
    secs = time.monotonic() - start
    found = sorted(set(os.listdir(crashes)) - before)
    execs = stat(out, "number_of_executed_units") or 0
    cov = re.findall(r"cov: (\d+) ft: (\d+)", out)
    result = {
        "target": name, "seconds": round(secs, 1), "execs": execs,
        "execs_per_s": round(execs / secs) if secs else 0,
        "corpus": len(os.listdir(corpus)), "edges": int(cov[-1][0]) if cov else None,
        "features": int(cov[-1][1]) if cov else None,
        "peak_rss_mb": stat(out, "peak_rss_mb"),
        "seeds": len(inputs(name, "corpus")), "regressions": len(inputs(name, "regress")),
        "crashes": len(found) or (1 if status != 0 else 0),
        "reproducers": [os.path.relpath(os.path.join(crashes, f), ROOT) for f in found],
        "status": status,
    }
    if result["crashes"]:
        result["output"] = out[-6000:]
    return result


def table(results):
    lines = ["| target | seconds | execs | execs/s | corpus | edges | seeds | regressions | crashes |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        lines.append(f"| {r['target']} | {r['seconds']:.0f} | {r['execs']:,} | {r['execs_per_s']:,} "
                     f"| {r['corpus']} | {r['edges'] or ''} | {r['seeds']} | {r['regressions']} "
                     f"| {r['crashes']} |")
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=int, default=int(os.environ.get("FUZZ_SECONDS", "60")),
                    help="fuzzing time per target (default $FUZZ_SECONDS or 60)")
    ap.add_argument("--jobs", type=int, default=2, help="targets fuzzed at once (default 2)")
    ap.add_argument("--replay-only", action="store_true", help="build and replay, no fuzzing")
    ap.add_argument("names", nargs="*", metavar="TARGET", help=f"default: all ({' '.join(targets())})")
    args = ap.parse_args()
    names = args.names or targets()
    unknown = sorted(set(names) - set(targets()))
    if unknown:
        ap.error(f"no such target: {' '.join(unknown)}")
    os.makedirs(OUT, exist_ok=True)
    exes = {}
    try:
        for name in names:
            print(f"build  fuzz_{name}", flush=True)
            exes[name] = build(name)
            n = replay(name, exes[name])
            print(f"replay fuzz_{name}: {n} checked-in inputs pass", flush=True)
    except FuzzError as e:
        print(f"fuzz: {e}\n{e.output[-6000:]}", file=sys.stderr)
        return 1
    if args.replay_only:
        return 0
    print(f"fuzzing {len(names)} target(s), {args.seconds} s each, {args.jobs} at a time", flush=True)
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        results = list(pool.map(lambda n: fuzz(n, exes[n], args.seconds), names))
    for r in results:
        if r["crashes"]:
            print(f"\nfuzz_{r['target']}: CRASH, reproducer(s): {' '.join(r['reproducers']) or '?'}"
                  f"\n{r['output']}", file=sys.stderr)
    report = {"clang": clang(), "seconds_per_target": args.seconds,
              "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "targets": results}
    with open(os.path.join(OUT, "results.json"), "w", encoding="utf-8") as f:
        json.dump(report, f, indent=2)
    md = table(results)
    with open(os.path.join(OUT, "report.md"), "w", encoding="utf-8") as f:
        f.write(f"Command: `make fuzz` (FUZZ_SECONDS={args.seconds}); {report['date']}\n\n{md}\n")
    print("\n" + md)
    print(f"\nresults: {os.path.relpath(os.path.join(OUT, 'results.json'), ROOT)}")
    return 1 if any(r["crashes"] for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
