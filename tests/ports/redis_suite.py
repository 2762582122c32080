#!/usr/bin/python3
"""Redis's own test suite in external mode, against a native redis-server and the skiff image of the same source; prints the difference.

    python3 tests/ports/redis_suite.py [--target both|native|skiff] [--units U1,U2] [--jobs N]
                                       [--unit-timeout S] [--mem SIZE] [--image ELF]
    python3 tests/ports/redis_suite.py --report build/redis-suite/results.json
    python3 tests/ports/redis_suite.py --from-logs build/redis-suite/logs

Both servers are Redis 7.0.15 from Debian's pinned orig tarball (build/cache/redis-7.0.15):
the native one is built on the host with Redis's own `make MALLOC=libc` (the allocator the
skiff port uses) in build/redis-suite/redis-7.0.15, the skiff one is `make redis`'s image.
Both start with the options Redis's external CI gives (.github/workflows/external.yml:
`--save "" --enable-protected-configs yes --enable-debug-command yes
--enable-module-command yes`) plus a writable `--dir`, and the suite runs as that CI runs
it: `./runtest --host 127.0.0.1 --port P --tags -slow`, here one unit at a time
(`--single unit/NAME`, with `--durable` so that an exception fails one test, not the rest
of its unit). Before each unit the server must answer PING; one that does not (crashed,
shut down, hung) is reported against the unit that left it so and restarted. All traffic
is on 127.0.0.1 (the image through `skiff run --port`), ports are picked free.

Output: a table (passed natively, passed on skiff, failing on skiff only by name with the
cause known for it from redis_suite_known.py), build/redis-suite/results.json, and each
run's raw runtest output under build/redis-suite/logs/. Exit status 0 when every test
that passes natively passes on skiff or has a known cause, 1 otherwise, 2 on a setup
error (build failed, a server never came up).
"""
import argparse
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
import redis_suite_known  # noqa: E402

BUILD = os.path.join(ROOT, "build")
CACHE = os.environ.get("CACHE", os.path.join(BUILD, "cache"))
VERSION = "7.0.15"
OUT = os.path.join(BUILD, "redis-suite")
NATIVE = os.path.join(OUT, f"redis-{VERSION}")
IMAGE = os.path.join(BUILD, "apps", "redis", "redis.elf")
SKIFF = os.path.join(ROOT, "tools", "skiff")
# What external.yml starts redis-server with, less --daemonize/--logfile (we keep the
# process and its output), plus what reaching the server needs.
CI_OPTS = ["--save", "", "--enable-protected-configs", "yes", "--enable-debug-command", "yes",
           "--enable-module-command", "yes"]
STATUS = re.compile(r"^\[(ok|err|exception|skip|ignore)\]: (.*)$")
OK_TIME = re.compile(r"^(.*) \(\d+ ms\)$")
ERR_NAME = re.compile(r"^(.*) in tests/\S+\.tcl$")


def die(msg, status=2):
    print(f"redis-suite: {msg}", file=sys.stderr)
    sys.exit(status)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ping(port, timeout=5.0):
    """True when a server on 127.0.0.1:port answers PING with +PONG."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
            s.settimeout(timeout)
            s.sendall(b"PING\r\n")
            return s.recv(64).startswith(b"+PONG")
    except OSError:
        return False


def build_native():
    """redis-server/redis-cli/redis-benchmark for the host, from the same source."""
    stamp = os.path.join(NATIVE, ".built-malloc-libc")
    if os.path.exists(stamp):
        return
    src = os.path.join(CACHE, f"redis-{VERSION}")
    if not os.path.exists(os.path.join(src, "runtest")):
        r = subprocess.run([sys.executable, os.path.join(ROOT, "apps", "redis", "recipe.py"),
                            "--print-sources"], stdout=subprocess.DEVNULL)
        if r.returncode != 0 or not os.path.exists(os.path.join(src, "runtest")):
            die(f"no Redis source in {src} (apps/redis/recipe.py could not unpack it)")
    print(f"redis-suite: building native redis {VERSION} (MALLOC=libc) in {NATIVE}", flush=True)
    shutil.rmtree(NATIVE, ignore_errors=True)
    shutil.copytree(src, NATIVE, symlinks=True)
    with open(os.path.join(OUT, "native-build.log"), "w") as log:
        r = subprocess.run(["make", "MALLOC=libc"], cwd=NATIVE, stdout=log,
                           stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    if r.returncode != 0:
        die(f"native redis build failed, see {OUT}/native-build.log")
    open(stamp, "w").close()


def build_image():
    r = subprocess.run(["make", "-s", "redis"], cwd=ROOT, stdin=subprocess.DEVNULL)
    if r.returncode != 0 or not os.path.exists(IMAGE):
        die("make redis failed")


def all_units():
    """The unit list of tests/test_helper.tcl (`set ::all_tests {...}`)."""
    with open(os.path.join(NATIVE, "tests", "test_helper.tcl")) as f:
        text = f.read()
    m = re.search(r"set ::all_tests \{(.*?)\}", text, re.S)
    if not m:
        die("no ::all_tests list in tests/test_helper.tcl")
    return m.group(1).split()


class Server:
    """One redis-server, native process or skiff VM, restartable."""

    def __init__(self, target, args, logdir, slot):
        self.target, self.args, self.logdir = target, args, logdir
        self.proc, self.port, self.starts = None, None, 0
        # Each runner has its own copy of tests/ (runtest empties tests/tmp when it
        # starts) and its own range for runtest's test-server port.
        self.slot = slot
        self.tree = os.path.join(OUT, f"tree-{slot}")
        if not os.path.isdir(os.path.join(self.tree, "tests")):
            shutil.rmtree(self.tree, ignore_errors=True)
            os.makedirs(self.tree)
            shutil.copytree(os.path.join(NATIVE, "tests"), os.path.join(self.tree, "tests"),
                            ignore=shutil.ignore_patterns("tmp"))
            os.makedirs(os.path.join(self.tree, "tests", "tmp"))
            shutil.copy2(os.path.join(NATIVE, "runtest"), self.tree)
            os.symlink(os.path.join(NATIVE, "src"), os.path.join(self.tree, "src"))

    def start(self):
        self.starts += 1
        self.port = free_port()
        log = open(os.path.join(self.logdir, f"{self.target}{self.slot}-server-{self.starts}.log"), "wb")
        if self.target == "native":
            ddir = os.path.join(OUT, "native-dir")
            shutil.rmtree(ddir, ignore_errors=True)
            os.makedirs(ddir)
            cmd = [os.path.join(NATIVE, "src", "redis-server"), "--port", str(self.port),
                   "--bind", "127.0.0.1", "--protected-mode", "no", *CI_OPTS, "--dir", ddir]
            env = os.environ
        else:
            # Inside the guest the connection comes from slirp's 10.0.2.2: bind every
            # address; QEMU listens on the host's 127.0.0.1 only.
            cmd = [SKIFF, "run", self.args.image, "--port", f"{self.port}:6379", "--mem", self.args.mem,
                   "--", "--bind", "0.0.0.0", "--protected-mode", "no", *CI_OPTS,
                   "--dir", "/tmp"]
            env = dict(os.environ, SKIFF_ACCEL=os.environ.get("SKIFF_ACCEL", "tcg"))
        self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=log,
                                     stderr=subprocess.STDOUT, env=env, start_new_session=True)
        log.close()
        deadline = time.monotonic() + self.args.boot_timeout
        while not ping(self.port, 2.0):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                die(f"{self.target} server did not answer PING (log: {self.log_path()})")
            time.sleep(0.3)

    def log_path(self):
        return os.path.join(self.logdir, f"{self.target}{self.slot}-server-{self.starts}.log")

    def log_tail(self, n=15):
        try:
            with open(self.log_path(), errors="replace") as f:
                return f.read().splitlines()[-n:]
        except OSError:
            return []

    def alive(self):
        return self.proc.poll() is None and ping(self.port, 10.0)

    def stop(self):
        if self.proc and self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
            except ProcessLookupError:
                pass


def parse(text):
    """runtest output -> {"ok": [...], "err": {name: message}, "exception": str|None, ...}."""
    res = {"ok": [], "err": {}, "skip": [], "ignore": [], "exception": None}
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        m = STATUS.match(lines[i])
        i += 1
        if not m:
            continue
        kind, data = m.groups()
        if kind == "ok":
            t = OK_TIME.match(data)
            res["ok"].append(t.group(1) if t else data)
        elif kind == "err":
            n = ERR_NAME.match(data)
            name = n.group(1) if n else data
            msg = []
            while i < len(lines) and not lines[i].startswith("[") and len(msg) < 6:
                msg.append(lines[i])
                i += 1
            key, k = name, 2
            while key in res["err"]:
                key, k = f"{name} #{k}", k + 1
            res["err"][key] = "\n".join(msg).strip()
        elif kind == "exception":
            msg = [data] + lines[i:i + 8]
            res["exception"] = "\n".join(msg).strip()
        elif kind == "skip":
            res["skip"].append(data)
        else:
            res["ignore"].append(data)
    return res


CONN_ERR = re.compile(r"I/O error|connection refused|couldn't open socket|connection reset|"
                      r"broken pipe|error writing", re.I)


def run_once(server, unit, args, path, skip=()):
    """One runtest of one unit; its parsed output plus seconds, status, timed_out."""
    # runtest's own test server listens on the first free port from baseport-32, and
    # its find_available_port also needs port+10000 free: so below the kernel's
    # ephemeral range (whose ports + 10000 pass 65535), at a random place, so that
    # parallel runners and harnesses start apart.
    baseport = random.randrange(12000, 28000)
    cmd = ["./runtest", "--host", "127.0.0.1", "--port", str(server.port), "--tags", "-slow",
           "--single", unit, "--durable", "--timeout", str(args.unit_timeout),
           "--baseport", str(baseport), "--portcount", "400"]
    if skip:
        with open(path + ".skip", "w") as f:
            f.write("\n".join(skip) + "\n")
        cmd += ["--skipfile", path + ".skip"]
    t0 = time.monotonic()
    with open(path, "w") as log:   # written as it runs: `tail -f` shows progress
        p = subprocess.Popen(cmd, cwd=server.tree, stdin=subprocess.DEVNULL, stdout=log,
                             stderr=subprocess.STDOUT, env=dict(os.environ, TERM="dumb"),
                             start_new_session=True)
        try:
            status, timed_out = p.wait(timeout=args.unit_timeout + 60), False
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            p.wait()
            status, timed_out = None, True
    seconds = time.monotonic() - t0
    with open(path, errors="replace") as f:
        res = parse(f.read())
    res.update(seconds=round(seconds, 1), status=status, timed_out=timed_out)
    return res


def run_unit(server, unit, args, logdir):
    """One unit against a live server (restarted first if it does not answer). When the
    server dies in the unit, the test it died in is the finding: the server is restarted
    and the unit runs again from the test after it (up to 3 times)."""
    restarted = None
    if not server.alive():
        restarted = server.log_tail()
        server.stop()
        server.start()
    base = os.path.join(logdir, f"{server.target}-{unit.replace('/', '_')}")
    res = run_once(server, unit, args, base + ".log")
    res["server_died_in"] = []
    if restarted is not None:
        res["server_restarted_before"] = restarted
    for attempt in range(1, 4):
        if server.alive():
            break
        dead = died_in(res)
        res["server_died_in"].append({"test": dead, "log": server.log_tail()})
        server.stop()
        server.start()
        if dead is None:
            break
        again = run_once(server, unit, args, f"{base}.rerun{attempt}.log",
                         skip=res["ok"] + list(res["err"]))
        merge(res, again)
    return res


def died_in(res):
    """The test a dead server died in: the first that lost its connection. The errors
    after it (tests that never reached a server) are dropped from res."""
    names = list(res["err"])
    dead = next((n for n in names if CONN_ERR.search(res["err"][n])), None)
    if dead is not None:
        for n in names[names.index(dead) + 1:]:
            del res["err"][n]
    return dead


def merge(res, again):
    """Add the results of a rerun of the unit's remaining tests."""
    res["ok"] += again["ok"]
    res["err"].update(again["err"])
    res["seconds"] = round(res["seconds"] + again["seconds"], 1)
    res["exception"] = res["exception"] or again["exception"]
    res["timed_out"] = res["timed_out"] or again["timed_out"]


def from_logs(units, logdir):
    """Results rebuilt from the runtest logs of an interrupted run (no timings)."""
    results = {"native": {}, "skiff": {}, "seconds": {}, "units": units, "from_logs": logdir}
    for target in ("native", "skiff"):
        for unit in units:
            base = os.path.join(logdir, f"{target}-{unit.replace('/', '_')}")
            if not os.path.exists(base + ".log"):
                continue
            with open(base + ".log", errors="replace") as f:
                text = f.read()
            res = parse(text)
            # A unit that never printed its "[1/1 done]" line was stopped.
            stopped = not re.search(r"^\[\d+/\d+ done\]", text, re.M) and not res["exception"]
            res.update(seconds=0, status=None, timed_out=stopped, server_died_in=[])
            attempt = 1
            while os.path.exists(f"{base}.rerun{attempt}.log"):
                res["server_died_in"].append({"test": died_in(res), "log": []})
                with open(f"{base}.rerun{attempt}.log", errors="replace") as f:
                    again = parse(f.read())
                again.update(seconds=0, timed_out=False)
                merge(res, again)
                attempt += 1
            results[target][unit] = res
    return results


def run_target(target, units, args, logdir, results, lock):
    servers = [Server(target, args, logdir, 0)] if target == "native" else \
        [Server(target, args, logdir, 1 + i) for i in range(args.jobs)]
    todo = list(units)
    t0 = time.monotonic()

    def worker(server):
        server.start()
        try:
            while True:
                with lock:
                    if not todo:
                        return
                    unit = todo.pop(0)
                res = run_unit(server, unit, args, logdir)
                with lock:
                    results[target][unit] = res
                    save(results, args.output)   # an interrupted run keeps what it has
                    flag = (" EXCEPTION" if res["exception"] else "") + \
                           (" TIMEOUT" if res["timed_out"] else "") + \
                           (" SERVER-DIED" if res["server_died_in"] else "")
                    print(f"[{target}] {unit}: {len(res['ok'])} ok, {len(res['err'])} err "
                          f"({res['seconds']:.0f}s){flag}", flush=True)
        finally:
            server.stop()

    threads = [threading.Thread(target=worker, args=(s,)) for s in servers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    results["seconds"][target] = round(time.monotonic() - t0, 1)


def compare(results, units):
    """Per test (unit, name): native pass, skiff pass, skiff-only failures with causes."""
    nat, sk = results["native"], results["skiff"]
    summary = {"native_passed": 0, "skiff_passed": 0, "both_passed": 0,
               "skiff_only_failures": [], "native_only_failures": []}
    for unit in units:
        if unit not in nat or unit not in sk:
            continue
        # Counted with multiplicity: some units run a test of one name more than once.
        n_ok, s_ok = Counter(nat[unit]["ok"]), Counter(sk[unit]["ok"])
        summary["native_passed"] += len(nat[unit]["ok"])
        summary["skiff_passed"] += len(sk[unit]["ok"])
        summary["both_passed"] += sum((n_ok & s_ok).values())
        for name in sorted((n_ok - s_ok).elements()):
            if name in sk[unit]["err"]:
                how, msg = "failed", sk[unit]["err"][name]
            else:
                # With --durable an error in a start_server block (outside any test)
                # is reported under its message and skips the block's tests.
                block = [m for n, m in sk[unit]["err"].items() if n not in n_ok]
                how, msg = "not run", (sk[unit]["exception"] or
                                       ("timed out" if sk[unit]["timed_out"] else "") or
                                       next((m for m in block
                                             if redis_suite_known.cause(unit, "", m)), "")
                                       or "absent from the output")
            cause = redis_suite_known.cause(unit, name, msg)
            if how == "not run" and sk[unit]["exception"] and not cause:
                cause = redis_suite_known.cause(unit, "", sk[unit]["exception"])
            summary["skiff_only_failures"].append(
                {"unit": unit, "test": name, "how": how, "message": msg.splitlines()[:3],
                 "cause": cause})
        for name in sorted((s_ok - n_ok).elements()):
            summary["native_only_failures"].append({"unit": unit, "test": name})
    return summary


def save(results, path):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(results, f, indent=1)
    os.replace(tmp, path)


def report(results, units):
    """Print the comparison table and the skiff-only failures; 1 if one has no known cause."""
    s = compare(results, units)
    results["summary"] = s
    known = [f for f in s["skiff_only_failures"] if f["cause"]]
    unknown = [f for f in s["skiff_only_failures"] if not f["cause"]]
    print()
    print("| | tests |")
    print("|---|---|")
    print(f"| passed natively | {s['native_passed']} |")
    print(f"| passed on skiff | {s['skiff_passed']} |")
    print(f"| failed on skiff, passed natively | {len(s['skiff_only_failures'])} |")
    for cause in sorted({f["cause"] for f in known}):
        print(f"| ... of them: {cause} | {sum(1 for f in known if f['cause'] == cause)} |")
    print(f"| ... of them: cause not known | {len(unknown)} |")
    print(f"| passed on skiff, failed natively | {len(s['native_only_failures'])} |")
    print()
    for f in s["skiff_only_failures"]:
        print(f"skiff-only {f['how']}: {f['unit']}: {f['test']}  "
              f"[{f['cause'] or 'cause not known'}]  {' '.join(f['message'])[:160]}")
    for t in ("native", "skiff"):
        for unit in units:
            for d in results[t].get(unit, {}).get("server_died_in", []):
                print(f"{t} server died: {unit}: {d['test'] or '(after the last test)'}")
    for f in s["native_only_failures"]:
        print(f"native-only failure: {f['unit']}: {f['test']}")
    return 1 if unknown else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--target", choices=("both", "native", "skiff"), default="both")
    ap.add_argument("--units", default="", help="comma-separated units (default: all)")
    ap.add_argument("--jobs", type=int, default=1, help="skiff servers run in parallel")
    ap.add_argument("--unit-timeout", type=int, default=900,
                    help="seconds one unit may run (runtest's own --timeout is the same)")
    ap.add_argument("--boot-timeout", type=int, default=300)
    ap.add_argument("--mem", default="1G", help="guest RAM for the skiff server")
    ap.add_argument("--image", default=IMAGE, help="the skiff image (default: make redis's)")
    ap.add_argument("--report", metavar="JSON",
                    help="print the table of an earlier run's results.json (no run)")
    ap.add_argument("--from-logs", metavar="DIR",
                    help="rebuild results.json from the runtest logs of an interrupted run")
    ap.add_argument("--output", default=os.path.join(OUT, "results.json"))
    args = ap.parse_args()
    if args.report:
        try:
            with open(args.report) as f:
                results = json.load(f)
        except (OSError, ValueError) as e:
            die(f"cannot read {args.report}: {e}")
        sys.exit(report(results, results["units"]))
    if args.from_logs:
        results = from_logs(all_units(), args.from_logs)
        status = report(results, [u for u in results["units"]
                                  if u in results["native"] and u in results["skiff"]])
        save(results, args.output)
        print(f"results: {args.output}")
        sys.exit(status)
    if shutil.which("tclsh") is None:
        die("tclsh not found (Debian package tcl)")
    os.makedirs(OUT, exist_ok=True)
    build_native()
    if args.target in ("both", "skiff") and args.image == IMAGE:
        build_image()
    units = all_units()
    if args.units:
        wanted = [u if u.split("/")[0] in ("unit", "integration") else f"unit/{u}"
                  for u in args.units.split(",")]
        bad = [u for u in wanted if u not in units]
        if bad:
            die(f"unknown unit(s): {', '.join(bad)}")
        units = wanted
    logdir = os.path.join(OUT, "logs")
    os.makedirs(logdir, exist_ok=True)
    targets = ["native", "skiff"] if args.target == "both" else [args.target]
    results = {"native": {}, "skiff": {}, "seconds": {}, "units": units,
               "command": "./runtest --host 127.0.0.1 --port P --tags -slow --single UNIT "
                          "--durable", "server_options": CI_OPTS}
    lock = threading.Lock()
    threads = [threading.Thread(target=run_target, args=(t, units, args, logdir, results, lock))
               for t in targets]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for t in targets:
        res = results[t]
        print(f"{t}: {sum(len(r['ok']) for r in res.values())} passed, "
              f"{sum(len(r['err']) for r in res.values())} failed, "
              f"{sum(1 for r in res.values() if r['exception'])} unit(s) with an exception, "
              f"{sum(len(r['server_died_in']) for r in res.values())} server death(s), "
              f"{results['seconds'][t]:.0f}s")
    status = report(results, units) if args.target == "both" else 0
    save(results, args.output)
    print(f"results: {args.output}")
    sys.exit(status)


if __name__ == "__main__":
    main()
