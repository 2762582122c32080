#!/usr/bin/env python3
"""skiff test runner: host unit tests, CLI tests, boot tests; last line "N passed, N failed".

Stages, in order (--only picks one, -k filters by name substring):
  unit  tests/unit/test_*.c, each compiled with the sources named on its
        "// needs: kernel/x.c ..." lines, built with ASan+UBSan and run on the host.
  cli   tests/cli/test_*.py: every test_* function, called with no arguments
        (AssertionError or any other exception fails it).
  boot  tests/boot/<name>/: `make all` once, then `skiff build` each test (serially,
        skiff takes a lock) and `skiff run` them two at a time, checked against the
        test's `expect` file (status, stdout/stderr regexes, args, build, timeout,
        machine, env). --boot-cpus N adds `--cpus N` to those without their own.
  efi   tests/efi/test_*.py, like cli (UEFI boots through OVMF: slow, few).
  net   tests/net/test_*.py, like cli (network tests: slirp on 127.0.0.1, tap in
        namespaces the tests create).
  ports tests/ports/test_*.py, like cli (real programs from Debian sources: Lua,
        SQLite, Redis, built and booted, output compared with the native program).
  fuzz  tests/fuzz/test_*.py, like cli (fuzz targets built on the host, replayed over
        their checked-in corpus and regressions, then fuzzed briefly).
  hard  tests/hard/test_*.py, like cli (soak, faults, hardening).
  virt  tests/virt/test_*.py, like cli (images under a real libvirtd the tests start:
        skiff virt-xml, the qcow2 disk, the OCI containerDisk).
Exit status 0 iff nothing failed.
"""
import argparse
import concurrent.futures
import importlib.util
import os
import re
import shlex
import signal
import subprocess
import sys
import tempfile
import threading
import time
import traceback

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TESTS = os.path.join(ROOT, "tests")
OUT = os.path.join(ROOT, "build", "tests")
SKIFF = os.path.join(ROOT, "tools", "skiff")

UNIT_CFLAGS = ["-O1", "-g", "-Wall", "-Wextra", "-Werror",
               "-fsanitize=address,undefined", "-I" + os.path.join(ROOT, "include"),
               "-I" + os.path.join(ROOT, "kernel")]
UNIT_ENV = {"UBSAN_OPTIONS": "halt_on_error=1:print_stacktrace=1",
            "ASAN_OPTIONS": "abort_on_error=0:detect_leaks=1"}
UNIT_TIMEOUT = 60
CLI_TIMEOUT = 300
BOOT_TIMEOUT = 60
BUILD_TIMEOUT = 300
MAKE_TIMEOUT = 540
TAIL_LINES = 30
WORKERS = 2


class Result:
    def __init__(self, name, ok, secs, reason="", output=""):
        self.name, self.ok, self.secs = name, ok, secs
        self.reason, self.output = reason, output


class Reporter:
    """Prints one line per test as results arrive (from any thread) and keeps the tally."""

    def __init__(self, verbose):
        self.verbose = verbose
        self.results = []
        self.lock = threading.Lock()

    def add(self, r):
        with self.lock:
            self.results.append(r)
            if r.ok:
                print(f"PASS {r.name} ({r.secs:.1f}s)", flush=True)
                return
            print(f"FAIL {r.name}: {r.reason}", flush=True)
            lines = r.output.rstrip("\n").splitlines()
            if not self.verbose and len(lines) > TAIL_LINES:
                print(f"    ... last {TAIL_LINES} of {len(lines)} lines (-v shows all)")
                lines = lines[-TAIL_LINES:]
            for line in lines:
                print("    " + line)
            sys.stdout.flush()

    def counts(self):
        passed = sum(1 for r in self.results if r.ok)
        return passed, len(self.results) - passed


def run_process(cmd, timeout, env=None, cwd=ROOT):
    """Run cmd in its own process group; returns (status, stdout, stderr, timed_out).
    On timeout the whole group (e.g. skiff and its QEMU) is terminated."""
    try:
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                start_new_session=True)
    except OSError as e:
        return 127, "", f"cannot run {cmd[0]}: {e}\n", False
    LIVE.add(proc)
    try:
        out, err = proc.communicate(timeout=timeout)
        timed_out = False
    except subprocess.TimeoutExpired:
        kill_group(proc)
        out, err = proc.communicate()
        timed_out = True
    finally:
        LIVE.discard(proc)
    return (proc.returncode, out.decode(errors="replace"),
            err.decode(errors="replace"), timed_out)


LIVE = set()


def kill_group(proc):
    for sig, wait in ((signal.SIGTERM, 5), (signal.SIGKILL, 5)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            pass


def guarded(name, fn, *args):
    """fn(*args), with a bug in the runner itself reported as that test's failure."""
    try:
        return fn(*args)
    except Exception as e:  # noqa: BLE001
        return Result(name, False, 0.0, f"runner error: {type(e).__name__}: {e}",
                      traceback.format_exc())


def labelled(label, text):
    return f"--- {label} ---\n{text}" if text.strip() else ""


def join_output(*parts):
    return "\n".join(p.rstrip("\n") for p in parts if p)


# ---------------------------------------------------------------- unit tests

def unit_needs(path):
    """Sources named on "// needs: a.c b.c" lines near the top of a test file."""
    needs = []
    with open(path, encoding="utf-8") as f:
        for line in f.readlines()[:30]:
            m = re.match(r"\s*(?://|/\*)\s*needs:\s*(.*?)\s*(?:\*/)?\s*$", line)
            if m:
                needs += [os.path.join(ROOT, s) for s in re.split(r"[\s,]+", m.group(1)) if s]
    return needs


def run_unit_test(name, src):
    start = time.monotonic()
    exe = os.path.join(OUT, "unit", os.path.splitext(os.path.basename(src))[0])
    os.makedirs(os.path.dirname(exe), exist_ok=True)
    cmd = ["gcc"] + UNIT_CFLAGS + ["-I" + os.path.dirname(src), src] + unit_needs(src) + ["-o", exe]
    status, out, err, timed_out = run_process(cmd, BUILD_TIMEOUT)
    if status != 0:
        why = "compiler timed out" if timed_out else "does not compile"
        return Result(name, False, time.monotonic() - start, why, join_output(out, err))
    env = dict(os.environ, **UNIT_ENV)
    status, out, err, timed_out = run_process([exe], UNIT_TIMEOUT, env=env)
    secs = time.monotonic() - start
    output = join_output(out, err)
    if timed_out:
        return Result(name, False, secs, f"timed out after {UNIT_TIMEOUT}s", output)
    fails = [l for l in out.splitlines() if l.startswith("FAIL ")]
    if status != 0 or fails:
        why = f"{len(fails)} check(s) failed" if fails else f"exit status {status}"
        if status != 0 and fails:
            why += f", exit status {status}"
        return Result(name, False, secs, why, output)
    nok = sum(1 for l in out.splitlines() if l.startswith("ok "))
    return Result(name, True, secs, f"{nok} ok")


def unit_stage(rep, match):
    udir = os.path.join(TESTS, "unit")
    tests = []
    for f in sorted(os.listdir(udir)) if os.path.isdir(udir) else []:
        name = "unit/" + f[:-2]
        if f.startswith("test_") and f.endswith(".c") and match(name):
            tests.append((name, os.path.join(udir, f)))
    with concurrent.futures.ThreadPoolExecutor(WORKERS) as pool:
        for fut in [pool.submit(guarded, n, run_unit_test, n, s) for n, s in tests]:
            rep.add(fut.result())


# ----------------------------------------------------------------- CLI tests

class CliTimeout(Exception):
    pass


def call_captured(fn, limit=CLI_TIMEOUT):
    """Call fn() with fds 1 and 2 going to a temp file (subprocess output included).
    Returns (exception or None, traceback text, captured output)."""
    sys.stdout.flush()
    sys.stderr.flush()
    saved = (os.dup(1), os.dup(2))
    cwd, environ = os.getcwd(), dict(os.environ)
    exc, tb = None, ""
    with tempfile.TemporaryFile() as tmp:
        os.dup2(tmp.fileno(), 1)
        os.dup2(tmp.fileno(), 2)
        def on_alarm(signum, frame):
            raise CliTimeout(f"timed out after {limit}s")
        old_handler = signal.signal(signal.SIGALRM, on_alarm)
        signal.alarm(limit)
        try:
            fn()
        except (Exception, SystemExit) as e:  # noqa: BLE001 - any error fails the test
            exc = e
            tb = "".join(traceback.format_exception(type(e), e, e.__traceback__.tb_next))
        finally:
            signal.alarm(0)
            signal.signal(signal.SIGALRM, old_handler)
            sys.stdout.flush()
            sys.stderr.flush()
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            os.close(saved[0])
            os.close(saved[1])
            os.chdir(cwd)
            os.environ.clear()
            os.environ.update(environ)
        tmp.seek(0)
        output = tmp.read().decode(errors="replace")
    return exc, tb, output


def assertion_reason(exc):
    if str(exc):
        return str(exc).splitlines()[0]
    frame = traceback.extract_tb(exc.__traceback__)[-1]
    return f"assert at {os.path.basename(frame.filename)}:{frame.lineno}: {frame.line}"


def cli_stage(rep, match, stage="cli"):
    """Python tests: every test_* function of tests/<stage>/test_*.py."""
    cdir = os.path.join(TESTS, stage)
    if not os.path.isdir(cdir):
        return
    sys.path.insert(0, cdir)
    for f in sorted(os.listdir(cdir)):
        if not (f.startswith("test_") and f.endswith(".py")):
            continue
        modname = f[:-3]
        start = time.monotonic()
        try:
            spec = importlib.util.spec_from_file_location(modname, os.path.join(cdir, f))
            mod = importlib.util.module_from_spec(spec)
            sys.modules[modname] = mod
            spec.loader.exec_module(mod)
        except Exception as e:  # noqa: BLE001 - a broken module is one failure
            if match(f"{stage}/" + modname):
                rep.add(Result(f"{stage}/" + modname, False, time.monotonic() - start,
                               f"import failed: {type(e).__name__}: {e}",
                               traceback.format_exc(limit=-8)))
            continue
        for fname, fn in list(vars(mod).items()):
            name = f"{stage}/{modname}::{fname}"
            if not (fname.startswith("test_") and callable(fn)
                    and getattr(fn, "__module__", None) == modname and match(name)):
                continue
            start = time.monotonic()
            exc, tb, output = call_captured(fn, getattr(mod, "TEST_TIMEOUT", CLI_TIMEOUT))
            secs = time.monotonic() - start
            if exc is None:
                rep.add(Result(name, True, secs))
            elif isinstance(exc, AssertionError):
                rep.add(Result(name, False, secs, assertion_reason(exc),
                               join_output(output, labelled("traceback", tb))))
            else:
                rep.add(Result(name, False, secs, f"{type(exc).__name__}: {exc}",
                               join_output(output, labelled("traceback", tb))))


# ---------------------------------------------------------------- boot tests

class Expect:
    """A boot test's expect file: one "key: value" per line, # comments."""

    def __init__(self, path):
        self.status, self.timeout, self.machine = 0, BOOT_TIMEOUT, None
        self.stdout, self.stderr, self.not_stdout, self.not_stderr = [], [], [], []
        self.args, self.env, self.build_args = [], {}, []
        with open(path, encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                line = line.strip()
                if not line or line.startswith("#"):
                    continue
                key, sep, value = line.partition(":")
                key, value = key.strip(), value.strip()
                where = f"{os.path.relpath(path, ROOT)}:{n}"
                if not sep:
                    raise ValueError(f"{where}: expected 'key: value'")
                if key == "status":
                    self.status = int(value)
                elif key in ("stdout", "stderr", "not-stdout", "not-stderr"):
                    try:
                        re.compile(value)
                    except re.error as e:
                        raise ValueError(f"{where}: bad regex {value!r}: {e}") from None
                    getattr(self, key.replace("-", "_")).append(value)
                elif key == "build":
                    self.build_args = shlex.split(value)
                elif key == "args":
                    self.args += shlex.split(value)
                elif key == "timeout":
                    self.timeout = float(value)
                elif key == "machine":
                    self.machine = value
                elif key == "env":
                    k, eq, v = value.partition("=")
                    if not eq or not k:
                        raise ValueError(f"{where}: env wants K=V")
                    self.env[k.strip()] = v
                else:
                    raise ValueError(f"{where}: unknown key {key!r}")

    def check(self, status, out, err):
        """None when the run matches, else the first mismatch as one line."""
        if status != self.status:
            return f"exit status {status}, want {self.status}"
        for rx in self.stdout:
            if not re.search(rx, out, re.M):
                return f"stdout does not match {rx!r}"
        for rx in self.stderr:
            if not re.search(rx, err, re.M):
                return f"stderr does not match {rx!r}"
        for rx in self.not_stdout:
            if re.search(rx, out, re.M):
                return f"stdout matches {rx!r}"
        for rx in self.not_stderr:
            if re.search(rx, err, re.M):
                return f"stderr matches {rx!r}"
        return None


def make_all(rep):
    """`make all` once before booting anything; a failure is reported as one test."""
    start = time.monotonic()
    print("make all ...", flush=True)
    status, out, err, timed_out = run_process(["make", "-s", "-C", ROOT, "all"], MAKE_TIMEOUT)
    secs = time.monotonic() - start
    if status == 0:
        print(f"make all: ok ({secs:.1f}s)", flush=True)
        return True
    why = f"timed out after {MAKE_TIMEOUT}s" if timed_out else f"exit status {status}"
    rep.add(Result("boot/make-all", False, secs,
                   f"`make -C {ROOT} all` failed ({why}); boot tests not run",
                   join_output(out, err)))
    return False


def build_boot_test(name, tdir):
    """Returns (Expect, image) or a failed Result."""
    start = time.monotonic()
    try:
        expect = Expect(os.path.join(tdir, "expect"))
    except (OSError, ValueError) as e:
        return Result("boot/" + name, False, 0.0, f"bad expect file: {e}")
    image = os.path.join(OUT, name, name + ".elf")
    os.makedirs(os.path.dirname(image), exist_ok=True)
    status, out, err, timed_out = run_process(
        [SKIFF, "build", tdir, "-o", image] + expect.build_args, BUILD_TIMEOUT)
    if status != 0 or timed_out:
        why = "build timed out" if timed_out else f"build failed (status {status})"
        return Result("boot/" + name, False, time.monotonic() - start, why, join_output(out, err))
    return expect, image


BOOT_CPUS = None  # --boot-cpus N: every boot test without a --cpus of its own gets it


def run_boot_test(name, expect, image):
    cmd = [SKIFF, "run", image]
    if expect.machine:
        cmd += ["--machine", expect.machine]
    if BOOT_CPUS and "--cpus" not in expect.args:
        cmd += ["--cpus", str(BOOT_CPUS)]
    cmd += expect.args
    env = dict(os.environ, SKIFF_ACCEL="tcg")
    env.update(expect.env)
    start = time.monotonic()
    status, out, err, timed_out = run_process(cmd, expect.timeout, env=env)
    secs = time.monotonic() - start
    output = join_output(labelled("command", shlex.join(cmd)), labelled("stdout", out),
                         labelled("stderr", err))
    if timed_out:
        return Result("boot/" + name, False, secs, f"timed out after {expect.timeout:g}s", output)
    why = expect.check(status, out, err)
    return Result("boot/" + name, why is None, secs, why or "", output)


def boot_stage(rep, match, filtered):
    bdir = os.path.join(TESTS, "boot")
    names = sorted(d for d in os.listdir(bdir) if os.path.isdir(os.path.join(bdir, d))) \
        if os.path.isdir(bdir) else []
    names = [n for n in names if match("boot/" + n)]
    if filtered and not names:
        return
    if not make_all(rep):
        return
    ready = []
    for name in names:
        built = guarded("boot/" + name, build_boot_test, name, os.path.join(bdir, name))
        if isinstance(built, Result):
            rep.add(built)
        else:
            ready.append((name,) + built)
    with concurrent.futures.ThreadPoolExecutor(WORKERS) as pool:
        futures = [pool.submit(guarded, "boot/" + t[0], run_boot_test, *t) for t in ready]
        for fut in concurrent.futures.as_completed(futures):
            rep.add(fut.result())


# ---------------------------------------------------------------------- main

def main():
    ap = argparse.ArgumentParser(description="Run skiff's test suite.")
    ap.add_argument("--only", choices=["unit", "cli", "boot", "efi", "net", "ports", "fuzz", "hard", "virt"], help="run one stage")
    ap.add_argument("-k", metavar="SUBSTRING", help="only tests whose name contains SUBSTRING")
    ap.add_argument("-v", "--verbose", action="store_true", help="show all output of failures")
    ap.add_argument("--boot-cpus", type=int, metavar="N",
                    help="boot tests run with skiff run --cpus N unless their expect says "
                    "otherwise (posix_ids and linux_compat assert one CPU)")
    args = ap.parse_args()
    global BOOT_CPUS
    BOOT_CPUS = args.boot_cpus

    def match(name):
        return args.k is None or args.k in name

    rep = Reporter(args.verbose)
    start = time.monotonic()
    stages = [("unit", unit_stage), ("cli", cli_stage),
              ("boot", lambda r, m: boot_stage(r, m, args.k is not None)),
              ("efi", lambda r, m: cli_stage(r, m, "efi")),
              ("net", lambda r, m: cli_stage(r, m, "net")),
              ("ports", lambda r, m: cli_stage(r, m, "ports")),
              ("fuzz", lambda r, m: cli_stage(r, m, "fuzz")),
              ("hard", lambda r, m: cli_stage(r, m, "hard")),
              ("virt", lambda r, m: cli_stage(r, m, "virt"))]
    try:
        for stage, fn in stages:
            if args.only in (None, stage):
                fn(rep, match)
    except KeyboardInterrupt:
        for proc in list(LIVE):
            kill_group(proc)
        print("\ninterrupted", flush=True)
        return 130

    passed, failed = rep.counts()
    print(f"\n{len(rep.results)} tests in {time.monotonic() - start:.0f}s")
    for r in rep.results:
        if not r.ok:
            print(f"  failed: {r.name}: {r.reason}")
    print(f"{passed} passed, {failed} failed", flush=True)
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
