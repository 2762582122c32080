#!/usr/bin/env python3
"""Ports figures: Lua and SQLite image sizes, the smallest memory each needs, and SQLite's
60,000 inserts — the skiff image, the same sources built natively, and in a Linux VM.

Prints Markdown tables and writes build/bench/ports.json. Figures, not asserts.
    tools/skiff bench ports [--runs 3] [--no-linux-vm] [--no-memsearch]

Variants, one program each, built from the same Debian sources with the same options
(apps/*/port.mk):
  skiff       the port's image (`make lua`, `make sqlite`), booted with `skiff run`
  native      gcc -O2 -static of the same sources and -D options, run on the host
  Debian      Debian's own /usr/bin/sqlite3 (other options: threadsafe, FTS...), for reference
  Linux VM    the static build as /app of an initramfs on Debian's cloud kernel, same QEMU
              machine, accelerator, CPU model and memory as skiff (tools/skiffpy/bench/linuxvm.py)
The inserts run in order skiff, native, Debian, Linux VM, round after round; each cell is
the median (min-max) of the rounds.
"""
import argparse
import copy
import json
import os
import re
import shutil
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from skiffpy.bench import build as bench_build  # noqa: E402
from skiffpy.bench import host as bench_host  # noqa: E402
from skiffpy.bench.linuxvm import LinuxVM  # noqa: E402
from skiffpy.bench.measure import measure  # noqa: E402
from skiffpy.bench.memsearch import smallest_bisect, smallest_upward  # noqa: E402
from skiffpy.bench.stats import median_range

sys.path.insert(0, os.path.join(ROOT, "tests", "ports"))
import portutil  # noqa: E402
from skiffpy.bench.progress import progress

SKIFF = os.path.join(ROOT, "tools", "skiff")
WORK = os.path.join(ROOT, "build", "bench", "ports")
RESULTS = os.path.join(ROOT, "build", "bench", "ports.json")
MIB = 1 << 20
VM_MEM_MIB = 128      # both VMs in the timing runs (the Linux VM needs ~72 MiB to boot at all)
INSERTS = 60000
EXPECT_INSERTS = b"60000|3000039700"   # count(*), sum(value) after insert.sql and cte.sql
SKIFF_ENV = dict(os.environ, SKIFF_NO_HOST_CHECKS="1")  # the memory search lets the guest decide


def make_value(name):
    """A variable of the Makefile (port.mk's sources and -D options)."""
    r = subprocess.run(["make", "-s", "-C", ROOT, "--no-print-directory",
                        f"--eval=pv: ; @echo $({name})", "pv"], capture_output=True, text=True,
                       check=True)
    return r.stdout.split()


def run_make(*args):
    r = subprocess.run(["make", "-s", "-C", ROOT, *args], stdin=subprocess.DEVNULL,
                       capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"bench: make {' '.join(args)} failed:\n{r.stdout}{r.stderr}")


# ---------------------------------------------------------------- workloads

def write_workloads():
    """WORK/sqlite-files/www/: insert.sql (60,000 INSERT statements in one transaction, timed by the
    guest's own clock through julianday('now')), cte.sql (the same rows from one
    INSERT ... SELECT over a recursive CTE, timed by the shell's .timer); WORK/lua-files/www/:
    the Lua tests' sort.lua. /www in every variant (the Linux VM's initramfs puts a
    program's files there). Returns the two folders."""
    www = os.path.join(WORK, "sqlite-files", "www")
    os.makedirs(www, exist_ok=True)
    head = ["CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT, value INTEGER, score REAL);"]
    lines = head + ["CREATE TEMP TABLE clock(t REAL);",
                    "INSERT INTO clock VALUES (julianday('now'));", "BEGIN;"]
    for i in range(1, INSERTS + 1):
        lines.append(f"INSERT INTO t(name, value, score) VALUES ('name{i}', "
                     f"{i * 7919 % 100003}, {i / 7:.4f});")
    lines += ["COMMIT;",
              "SELECT printf('inserts_ms %.3f', (julianday('now') - t) * 86400000.0) FROM clock;",
              "SELECT count(*), sum(value) FROM t;"]
    with open(os.path.join(www, "insert.sql"), "w") as f:
        f.write("\n".join(lines) + "\n")
    cte = head + [".timer on",
                  f"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {INSERTS}) "
                  "INSERT INTO t(name, value, score) SELECT 'name' || i, i * 7919 % 100003, "
                  "round(i / 7.0, 4) FROM n;",
                  ".timer off", "SELECT count(*), sum(value) FROM t;"]
    for folder in (www, os.path.join(WORK, "sqlite-cte-files", "www")):
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, "cte.sql"), "w") as f:
            f.write("\n".join(cte) + "\n")
    lua_www = os.path.join(WORK, "lua-files", "www")
    os.makedirs(lua_www, exist_ok=True)
    shutil.copyfile(os.path.join(ROOT, "tests", "ports", "lua", "sort.lua"),
                    os.path.join(lua_www, "sort.lua"))
    with open(os.path.join(lua_www, "bench.lua"), "w") as f:
        f.write(LUA_BENCH)
    return os.path.dirname(lua_www), os.path.dirname(www)


# A CPU-bound Lua job (calls, tables, strings, sort, patterns), timed by os.clock inside.
LUA_BENCH = """local t0 = os.clock()
local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end
local r = fib(27)
local t = {}
for i = 1, 200000 do t[i] = tostring(i * 7919 % 200003) end
table.sort(t)
local s = 0
for w in table.concat(t, " "):gmatch("%d+") do s = s + #w end
print(string.format("lua_ms %.3f", (os.clock() - t0) * 1000), r, s)
"""
LUA_BENCH_ARGS = ["/www/bench.lua"]
EXPECT_LUA = b"\t196418\t1088895\n"

SQL_ARGS = {"insert": ["-batch", "-init", "/www/insert.sql", ":memory:", ".exit"],
            "cte": ["-batch", "-init", "/www/cte.sql", ":memory:", ".exit"]}
LUA_ARGS = ["/www/sort.lua"]


def without_time(out):
    """A workload's output without the one line that holds a time."""
    return re.sub(rb"inserts_ms [0-9.]+|Run Time: [^\n]*", b"", out)


def guest_ms(out, which):
    """The time the program measured itself, in ms, or None."""
    if which == "lua":
        m = re.search(rb"lua_ms ([0-9.]+)", out)
        return float(m.group(1)) if m else None
    if which == "insert":
        m = re.search(rb"inserts_ms ([0-9.]+)", out)
        return float(m.group(1)) if m else None
    m = re.search(rb"Run Time: real ([0-9.]+)", out)
    return float(m.group(1)) * 1000 if m else None


# ---------------------------------------------------------------- builds

class Port:
    """One program: its skiff images (bare, and with the workloads) and its static Linux build."""

    def __init__(self, name, target, image_name, files):
        self.name, self.target = name, target
        var = target.upper()
        self.bare = os.path.join(ROOT, "build", "apps", image_name, image_name + ".elf")
        self.elf = os.path.join(WORK, "skiff", image_name + ".elf")
        run_make(target)
        run_make(target, f"{var}_FILES={files}", f"{var}_OUT={self.elf}")
        self.sources = make_value(f"{var}_SRCS")
        self.defs = [d for d in make_value(f"{var}_DEFS") if d != "-D"]
        self.defs = ["-D" + d for d in self.defs]
        self.includes = ["-I" + make_value("SQLITE_AMALG")[0]] if target == "sqlite" else []
        self.linux_bin = os.path.join(WORK, f"{name}.linux")
        self.args, self.files = [], files

    def build_linux(self):
        """gcc -O2 -static -s of the same sources and options (the Linux VM's /app and the
        native variant)."""
        cmd = ["gcc", "-O2", "-static", "-s", *self.defs, *self.includes, "-o", self.linux_bin,
               *self.sources, "-lm"]
        r = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, text=True)
        if r.returncode != 0:
            sys.exit(f"bench: {' '.join(cmd[:6])} ... failed:\n{r.stderr[-3000:]}")


class VMProgram:
    """What bench_linuxvm.LinuxVM wants of a program: name, linux_bin, files, args."""

    def __init__(self, port, args):
        self.name, self.linux_bin, self.files, self.args = port.name, port.linux_bin, \
            os.path.join(port.files, "www"), list(args)


# ---------------------------------------------------------------- runs

def run_skiff(image, args, mem_mib, timeout=600):
    t0 = time.perf_counter()
    r = subprocess.run([SKIFF, "run", image, "--quiet", "--mem", f"{mem_mib}M", "--timeout",
                        str(timeout), "--", *args], stdin=subprocess.DEVNULL,
                       capture_output=True, env=SKIFF_ENV, timeout=timeout + 60)
    return r.returncode, r.stdout, time.perf_counter() - t0


def run_native(binary, args, timeout=600):
    """(status, stdout, wall s, peak RSS KiB) through apps/bench/linux/measure.c (a child
    forked from Python would report Python's RSS as its peak); /www/... paths are
    rewritten into WORK/lua-files or WORK/sqlite-files."""
    folder = "lua-files" if args[0].endswith(".lua") else "sqlite-files"
    args = [a.replace("/www/", os.path.join(WORK, folder, "www") + "/") for a in args]
    run = measure(bench_build.helper("measure", WORK), [binary, *args], marker=None,
                  timeout=timeout)
    wall = run.exit_ms / 1000 if run.exit_ms is not None else None
    return run.status, run.stdout, wall, run.maxrss_kb


def run_linux_vm(vm, program, mem_mib, timeout=600):
    """(app status or None, stdout, wall s) of one Linux VM boot."""
    vm.prepare(program, WORK)
    t0 = time.perf_counter()
    try:
        r = subprocess.run(vm.argv(program, mem_mib * MIB), stdin=subprocess.DEVNULL,
                           capture_output=True, timeout=timeout)
        out = r.stdout
    except subprocess.TimeoutExpired as e:
        out = e.stdout or b""
    wall = time.perf_counter() - t0
    out = out.replace(b"\r\n", b"\n")  # the VM's console is a tty (ONLCR)
    m = re.findall(rb"(?m)^bench-init: exit (\d+)\s*$", out)
    return (int(m[-1]) if m else None), out, wall


# ---------------------------------------------------------------- figures

def fmt(cell, unit=""):
    if cell is None:
        return "n/a"
    if isinstance(cell, dict):
        return f"{cell['median']:,.0f}{unit} ({cell['min']:,.0f}–{cell['max']:,.0f})"
    return f"{cell:,.0f}{unit}" if isinstance(cell, (int, float)) else str(cell)


def sizes(ports, vm):
    """Bytes on disk: the bare skiff image (no files), the static Linux build, Debian's
    dynamic binary + its library, and the Linux VM's kernel + initramfs."""
    debian = {"lua": ["/usr/bin/lua5.4", "/usr/lib/x86_64-linux-gnu/liblua5.4.so.0"],
              "sqlite": ["/usr/bin/sqlite3", "/usr/lib/x86_64-linux-gnu/libsqlite3.so.0"]}
    table = {}
    for port in ports:
        row = {"skiff": os.path.getsize(port.bare),
               "native_static": os.path.getsize(port.linux_bin),
               "debian": sum(os.path.getsize(os.path.realpath(p)) for p in debian[port.name]
                             if os.path.exists(p))}
        if vm:
            program = VMProgram(port, [])
            program.files = None
            vm.prepare(program, WORK)
            row["linux_vm"] = os.path.getsize(vm.vmlinuz) + os.path.getsize(
                vm.initramfs(program))
        table[port.name] = row
    return table


def memsearch(ports, vm, expected):
    """Smallest guest memory (MiB) that runs each workload to the right output: skiff in
    1 MiB steps up from 2, the Linux VM by bisection (4 MiB resolution); natively the peak
    RSS instead (no guest). The initrd is part of the image and so of the memory: the CTE
    row uses an image that holds cte.sql alone."""
    lua, sqlite = ports
    cte = copy.copy(sqlite)
    cte.files = os.path.join(WORK, "sqlite-cte-files")
    cte.elf = os.path.join(WORK, "skiff", "cte", "sqlite3.elf")
    run_make("sqlite", f"SQLITE_FILES={cte.files}", f"SQLITE_OUT={cte.elf}")
    tests = copy.copy(sqlite)
    tests.elf = portutil.build_port("sqlite", "sqlite3.elf", "tests/ports/sqlite")
    main_args = ["-batch", "-init", "/dev/null", ":memory:", ".read main.sql"]
    main_status, main_out, _ = portutil.native(["sqlite3", *main_args],
                                               os.path.join(ROOT, "tests", "ports", "sqlite"))
    # label, port, args, expected stdout and status, also in the Linux VM and natively?
    work = [("lua: tests/ports/lua/sort.lua", lua, LUA_ARGS, expected["lua"], 0, True),
            (f"sqlite: {INSERTS:,} INSERT statements (their 4.3 MB script is in the image)",
             sqlite, SQL_ARGS["insert"], expected["insert"], 0, True),
            (f"sqlite: {INSERTS:,} rows from one recursive CTE", cte, SQL_ARGS["cte"],
             expected["cte"], 0, True),
            ("sqlite: tests/ports/sqlite/main.sql, :memory:", tests, main_args, main_out,
             main_status, False)]
    table = {}
    for label, port, args, want, want_status, everywhere in work:
        progress(f"smallest memory: {label} (skiff)")

        def skiff_ok(mib, port=port, args=args, want=want, want_status=want_status):
            status, out, _ = run_skiff(port.elf, args, mib, timeout=180)
            return status == want_status and without_time(out) == want
        row = {"skiff": smallest_upward(skiff_ok, 2, 64)[0], "native_rss_kib": None}
        if everywhere:
            row["native_rss_kib"] = run_native(port.linux_bin, args)[3]
        if vm and everywhere:
            progress(f"smallest memory: {label} (Linux VM, bisection)")
            program = VMProgram(port, args)

            def vm_ok(mib, program=program, want=want):
                status, out, _ = run_linux_vm(vm, program, mib, timeout=90)
                return status == 0 and want in without_time(out)
            row["linux_vm"] = smallest_bisect(vm_ok, 16, 256, 4)[0]
        table[label] = row
    return table


def timings(cases, vm, runs):
    """Each case (key, port, args, bytes its output must hold, Debian's binary) in every
    variant, interleaved rounds."""
    cells = {}
    for which, port, args, expect, debian in cases:
        samples = {k: {"guest_ms": [], "wall_ms": []} for k in
                   ("skiff", "native", "debian", "linux_vm")}
        for rnd in range(runs):
            progress(f"timing {which}: round {rnd + 1} of {runs}")
            status, out, wall = run_skiff(port.elf, args, VM_MEM_MIB)
            ok = status == 0 and expect in out
            samples["skiff"]["guest_ms"].append(guest_ms(out, which) if ok else None)
            samples["skiff"]["wall_ms"].append(wall * 1000 if ok else None)
            for key, binary in (("native", port.linux_bin), ("debian", debian)):
                if not binary:
                    continue
                status, out, wall, _ = run_native(binary, args)
                ok = status == 0 and expect in out
                samples[key]["guest_ms"].append(guest_ms(out, which) if ok else None)
                samples[key]["wall_ms"].append(wall * 1000 if ok and wall else None)
            if vm:
                status, out, wall = run_linux_vm(vm, VMProgram(port, args), VM_MEM_MIB)
                ok = status == 0 and expect in out
                samples["linux_vm"]["guest_ms"].append(guest_ms(out, which) if ok else None)
                samples["linux_vm"]["wall_ms"].append(wall * 1000 if ok else None)
        cells[which] = {k: {m: median_range(v) for m, v in s.items()} for k, s in samples.items()}
        cells[which]["raw"] = samples
    return cells


def ratio(a, b):
    if not a or not b:
        return None
    return a["median"] / b["median"]


def report(host, size_table, mem_table, ins):
    print(f"## Ports — `make bench-ports` (`tests/bench/ports.py`)\n")
    print(f"Host: {host['cpu']} ({host['cpus']} CPUs), QEMU {host['qemu']}, "
          f"accelerator **{host['accel'].upper()}** for both VMs ({host['accel_reason']}).\n")
    print("| image size (bytes) | skiff image | static Linux build | Debian's binary + library "
          "| Linux VM (kernel + initramfs) |")
    print("|---|---|---|---|---|")
    for name, row in size_table.items():
        print(f"| {name} | {fmt(row['skiff'])} | {fmt(row['native_static'])} | "
              f"{fmt(row['debian'])} | {fmt(row.get('linux_vm'))} |")
    if mem_table:
        print("\n| smallest memory | skiff --mem (MiB) | Linux VM -m (MiB) | native peak RSS (KiB) |")
        print("|---|---|---|---|")
        for label, row in mem_table.items():
            print(f"| {label} | {fmt(row['skiff'])} | {fmt(row.get('linux_vm'))} | "
                  f"{fmt(row['native_rss_kib'])} |")
    titles = {
        "insert": f"SQLite: {INSERTS:,} INSERT statements, one transaction, :memory: "
                  "(the program's clock: julianday('now') around them)",
        "cte": f"SQLite: one INSERT … SELECT of {INSERTS:,} rows from a recursive CTE, "
               ":memory: (the program's clock: the shell's .timer)",
        "lua": "Lua: fib(27), 200,000 tostring + table.sort + gmatch (the program's clock: "
               "os.clock)"}
    for which, title in titles.items():
        if which not in ins:
            continue
        cell = ins[which]
        print(f"\n{title}; median (min–max) ms of {cell['skiff']['guest_ms']['n'] if cell['skiff']['guest_ms'] else 0} rounds\n")
        print("| variant | time the program measured | wall time, start → exit |")
        print("|---|---|---|")
        program = "lua5.4" if which == "lua" else "sqlite3"
        labels = {"skiff": f"skiff image ({host['accel'].upper()}, {VM_MEM_MIB} MiB)",
                  "native": "native: same sources and options, gcc -O2 -static",
                  "debian": f"native: Debian's /usr/bin/{program}",
                  "linux_vm": f"Linux VM ({host['accel'].upper()}, {VM_MEM_MIB} MiB), same static build"}
        for key, label in labels.items():
            c = cell[key]
            print(f"| {label} | {fmt(c['guest_ms'], ' ms')} | {fmt(c['wall_ms'], ' ms')} |")
        r_vm = ratio(cell["skiff"]["guest_ms"], cell["linux_vm"]["guest_ms"])
        r_nat = ratio(cell["skiff"]["guest_ms"], cell["native"]["guest_ms"])
        if r_vm:
            print(f"\nskiff / Linux VM (same accelerator): {r_vm:.2f}× the time")
        if r_nat:
            print(f"skiff ({host['accel'].upper()}) / native: {r_nat:.2f}× the time"
                  + (" — not a fair race: TCG translates every guest instruction, the native "
                     "program runs on the CPU" if host["accel"] == "tcg" else ""))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--no-linux-vm", action="store_true")
    ap.add_argument("--no-memsearch", action="store_true")
    args = ap.parse_args()
    os.makedirs(os.path.join(WORK, "skiff"), exist_ok=True)
    host = bench_host.facts()
    progress("writing the workloads, building the ports (skiff and static Linux)")
    lua_files, sqlite_files = write_workloads()
    lua = Port("lua", "lua", "lua", lua_files)
    sqlite = Port("sqlite", "sqlite", "sqlite3", sqlite_files)
    for port in (lua, sqlite):
        port.build_linux()
    vm = None
    if not args.no_linux_vm:
        vm = LinuxVM(host["accel"], host["tsc_khz"], WORK, bench_build.helper("init", WORK))
        if vm.unavailable:
            progress(f"no Linux VM: {vm.unavailable}")
            vm = None
    expected = {"lua": run_native(lua.linux_bin, LUA_ARGS)[1]}
    for which in ("insert", "cte"):
        status, out, _, _ = run_native(sqlite.linux_bin, SQL_ARGS[which])
        if EXPECT_INSERTS not in out:
            sys.exit(f"bench: the native sqlite3 build gave {out[-200:]!r}")
        expected[which] = without_time(out)
    size_table = sizes((lua, sqlite), vm)
    mem_table = None
    if not args.no_memsearch:
        mem_table = memsearch((lua, sqlite), vm, expected)
    cases = [("insert", sqlite, SQL_ARGS["insert"], EXPECT_INSERTS, shutil.which("sqlite3")),
             ("cte", sqlite, SQL_ARGS["cte"], EXPECT_INSERTS, shutil.which("sqlite3")),
             ("lua", lua, LUA_BENCH_ARGS, EXPECT_LUA, shutil.which("lua5.4"))]
    ins = timings(cases, vm, args.runs)
    report(host, size_table, mem_table, ins)
    os.makedirs(os.path.dirname(RESULTS), exist_ok=True)
    with open(RESULTS, "w") as f:
        json.dump({"host": host, "sizes": size_table, "memory": mem_table, "timings": ins,
                   "vm_mem_mib": VM_MEM_MIB, "runs": args.runs,
                   "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}, f, indent=1)
    progress(f"results in {os.path.relpath(RESULTS, ROOT)}")


if __name__ == "__main__":
    main()
