#!/usr/bin/env python3
"""Redis figures: redis-server's image size, the smallest --mem that serves, and
redis-benchmark GET/SET requests/s (with -P 16 and without) for the skiff image against
the same Redis sources built static for Linux and run in a Linux VM (Debian's cloud
kernel + an initramfs, same QEMU, accelerator, memory and slirp port forward), rounds
interleaved, medians; the Linux build also runs as a plain host process for reference.

Prints a Markdown table and writes build/bench/redis.json. Figures, not asserts.
    tools/skiff bench redis [--rounds 3] [-n 100000] [--no-linux-vm] [--no-mem]
"""
import argparse
import concurrent.futures
import functools
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests", "net"))
import netutil  # noqa: E402
from skiffpy import accel as skiff_accel  # noqa: E402
from skiffpy.bench import build as bench_build  # noqa: E402
from skiffpy.bench.host import cpu_model, tsc_khz  # noqa: E402
from skiffpy.bench.linuxvm import LinuxVM  # noqa: E402
from skiffpy.bench.memsearch import smallest_bisect  # noqa: E402
from skiffpy.bench.program import Program  # noqa: E402
from skiffpy.bench.server import Server  # noqa: E402
from skiffpy.bench.suite import print_notes
from skiffpy.bench.progress import progress

OUT = os.path.join(ROOT, "build", "bench")
WORK = os.path.join(OUT, "redis")
RECIPE = os.path.join(ROOT, "apps", "redis", "recipe.py")
MEM_MIB = 128                       # every VM of the throughput rows
CLIENTS = 2                         # see tests/ports/test_redis.py: slirp's backlog of one
READY = b"Ready to accept connections"
CONF = ('save ""\nappendonly no\ndaemonize no\nprotected-mode no\nbind 0.0.0.0\nport 6379\n')
SERVER_ARGS = ["--save", "", "--appendonly", "no", "--daemonize", "no",
               "--protected-mode", "no", "--bind", "0.0.0.0"]
GUEST_IP, GUEST_GW = "10.0.2.15/24", "10.0.2.2"


progress = functools.partial(progress, tag="bench-redis")


def run(cmd, **kw):
    return subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, text=True, **kw)


def skiff_image(opt="-O2"):
    out = os.path.join(WORK, "redis.elf" if opt == "-O2" else f"redis{opt.lstrip('-')}.elf")
    r = run([sys.executable, RECIPE, "-o", out, f"--opt={opt}"], timeout=1800)
    if r.returncode != 0:
        sys.exit(f"bench-redis: the recipe failed:\n{r.stderr[-2000:]}")
    return out


def linux_binary():
    """The recipe's file list compiled by the host gcc against glibc, static, stripped."""
    out = os.path.join(WORK, "redis-server.linux")
    sources = run([sys.executable, RECIPE, "--print-sources"], timeout=600).stdout.split()
    src = os.path.dirname(os.path.dirname(sources[0]))  # .../redis-7.0.15
    if os.path.exists(out) and all(os.path.getmtime(s) <= os.path.getmtime(out) for s in sources):
        return out
    objdir = os.path.join(WORK, "linux-obj")
    os.makedirs(objdir, exist_ok=True)
    flags = ["-O2", "-std=gnu11", "-w", "-DREDIS_STATIC=", "-DLUA_ANSI", "-DENABLE_CJSON_GLOBAL",
             "-DLUA_USE_MKSTEMP", '-DHDR_MALLOC_INCLUDE="hdr_redis_malloc.h"',
             *[f"-I{src}/{d}" for d in ("deps/hiredis", "deps/linenoise", "deps/lua/src",
                                        "deps/hdr_histogram")]]

    def compile_one(s):
        o = os.path.join(objdir, s[len(src) + 1:].replace("/", "_") + ".o")
        if not (os.path.exists(o) and os.path.getmtime(o) >= os.path.getmtime(s)):
            r = run(["gcc", *flags, "-c", s, "-o", o])
            if r.returncode != 0:
                raise RuntimeError(f"gcc {s}: {r.stderr[-1500:]}")
        return o

    progress(f"building redis-server for Linux (gcc -static, {len(sources)} files)")
    with concurrent.futures.ThreadPoolExecutor(os.cpu_count() or 1) as pool:
        objs = list(pool.map(compile_one, sources))
    r = run(["gcc", "-static", "-s", "-o", out, *objs, "-lm", "-pthread", "-ldl"])
    if r.returncode != 0:
        sys.exit(f"bench-redis: linking the Linux build failed:\n{r.stderr[-2000:]}")
    return out


def parse_benchmark(text):
    """{TEST: requests/s} from redis-benchmark -q output (progress redrawn with \\r)."""
    out = {}
    for line in text.replace("\r", "\n").split("\n"):
        m = re.match(r"^([A-Z_]+): ([0-9.]+) requests per second", line.strip())
        if m:
            out[m.group(1)] = float(m.group(2))
    return out


def benchmark(port, n, pipeline):
    cmd = ["redis-benchmark", "-p", str(port), "-q", "-n", str(n), "-c", str(CLIENTS),
           "-t", "get,set"] + (["-P", str(pipeline)] if pipeline > 1 else [])
    r = run(cmd, timeout=600)
    figures = parse_benchmark(r.stdout)
    if r.returncode != 0 or set(figures) != {"GET", "SET"}:
        raise RuntimeError(f"redis-benchmark failed ({r.returncode}): {r.stdout[-300:]} "
                           f"{r.stderr[-300:]}")
    return figures


def ping_until_up(port, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if run(["redis-cli", "-p", str(port), "PING"], timeout=10).stdout.strip() == "PONG":
            return
        time.sleep(0.2)
    raise RuntimeError("no PONG")


def netdev(port):
    return ["-netdev", f"user,id=net0,hostfwd=tcp:127.0.0.1:{port}-:6379",
            "-device", "virtio-net-device,netdev=net0"]


class Variants:
    """Start each variant's server on a host port: skiff, Linux VM, host process."""

    def __init__(self, elf, linux_bin, accel, tsc_khz, with_vm):
        self.elf, self.linux_bin, self.accel = elf, linux_bin, accel
        self.conf_dir = tempfile.mkdtemp(prefix="skiff-redis-conf-")
        with open(os.path.join(self.conf_dir, "redis.conf"), "w") as f:
            f.write(CONF)
        self.vm = None
        if with_vm:
            init = bench_build.helper("init", WORK)
            self.vm = LinuxVM(accel, tsc_khz, WORK, init)
            if self.vm.unavailable:
                progress(f"Linux VM unavailable: {self.vm.unavailable}")
                self.vm = None
            else:
                self.program = Program("redis", [], args=["/www/redis.conf"], marker=READY,
                                       files=self.conf_dir)
                self.program.linux_bin = linux_bin
                self.vm.prepare(self.program, WORK, net=True)

    def keys(self):
        return ["skiff"] + (["linux_vm"] if self.vm else []) + ["process"]

    def start(self, key, port):
        if key == "skiff":
            argv = [os.path.join(ROOT, "tools", "skiff"), "run", self.elf, "--mem",
                    f"{MEM_MIB}M", "--port", f"{port}:6379", "--timeout", "900", "--",
                    *SERVER_ARGS]
            return Server(argv, READY)
        if key == "linux_vm":
            argv = self.vm.argv(self.program, MEM_MIB * 1024 * 1024, net=True,
                                extra_cmdline=f"BENCH_IP={GUEST_IP} BENCH_GW={GUEST_GW}",
                                extra_qemu=netdev(port))
            return Server(argv, READY, cleanup=self.vm.cleanup)
        return Server([self.linux_bin, "--port", str(port), *SERVER_ARGS[:-2],
                       "--bind", "127.0.0.1"], READY)

    def image_size(self):
        if not self.vm:
            return None
        kernel = os.path.getsize(self.vm.vmlinuz)
        initrd = os.path.getsize(self.vm.initramfs(self.program, net=True))
        return kernel + initrd, (f"{os.path.basename(self.vm.vmlinuz)} {kernel} B + initramfs "
                                 f"(redis, /init, virtio-net modules) {initrd} B")


def serves_with(elf, mib):
    """Does the image boot with mib MiB and answer PING, SET and GET?"""
    port = netutil.free_port()
    os.environ["SKIFF_NO_HOST_CHECKS"] = "1"   # let the guest itself say whether it fits
    try:
        with netutil.Guest(elf, ["--port", f"{port}:6379", "--mem", f"{mib}M"],
                           SERVER_ARGS, timeout=60) as g:
            g.wait_for(READY.decode(), seconds=40)
            ping_until_up(port, 20)
            ok = (run(["redis-cli", "-p", str(port), "SET", "k", "v" * 1000], timeout=10).stdout.strip() == "OK"
                  and run(["redis-cli", "-p", str(port), "GET", "k"], timeout=10).stdout.strip() == "v" * 1000)
            return ok and g.proc.poll() is None
    except (AssertionError, OSError, RuntimeError, subprocess.TimeoutExpired):
        return False
    finally:
        os.environ.pop("SKIFF_NO_HOST_CHECKS", None)


def smallest_mem(elf):
    """Bisection over 1..64 MiB (1 MiB steps): the smallest --mem that serves."""
    def try_mib(mib):
        ok = serves_with(elf, mib)
        progress(f"--mem {mib}M: {'serves' if ok else 'does not serve'}")
        return ok
    return smallest_bisect(try_mib, 1, 64, 1)


def fmt(x):
    return "—" if x is None else f"{x:,.0f}"


def cell(values):
    if not values:
        return "—"
    return f"{fmt(statistics.median(values))} ({fmt(min(values))}–{fmt(max(values))})"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("-n", type=int, default=100000, help="requests per redis-benchmark run")
    ap.add_argument("--no-linux-vm", action="store_true")
    ap.add_argument("--no-mem", action="store_true", help="skip the --mem search")
    args = ap.parse_args()
    for tool in ("redis-benchmark", "redis-cli"):
        if not shutil.which(tool):
            sys.exit(f"bench-redis: {tool} missing (sh tools/deps.sh ports)")
    os.makedirs(WORK, exist_ok=True)
    progress("building the skiff image (apps/redis/recipe.py)")
    elf = skiff_image()
    linux_bin = linux_binary()
    accel = skiff_accel.choose(quiet=True)
    variants = Variants(elf, linux_bin, accel, tsc_khz(), not args.no_linux_vm)

    progress("building the -Os variant for its size")
    results = {"skiff_image_bytes": os.path.getsize(elf),
               "skiff_image_os_bytes": os.path.getsize(skiff_image("-Os")),
               "linux_binary_bytes": os.path.getsize(linux_bin)}
    vm_image = variants.image_size()
    if vm_image:
        results["linux_vm_image_bytes"], results["linux_vm_image_note"] = vm_image
    if not args.no_mem:
        progress("smallest --mem that serves (bisection, 1..64 MiB)")
        results["smallest_mem_mib"], results["mem_tried"] = smallest_mem(elf)

    rps = {k: {f"{t}{p}": [] for t in ("GET", "SET") for p in ("", "_P16")} for k in variants.keys()}
    errors = []
    for rnd in range(1, args.rounds + 1):
        for key in variants.keys():
            port = netutil.free_port()
            progress(f"round {rnd}/{args.rounds}: {key}")
            try:
                with variants.start(key, port):
                    ping_until_up(port)
                    benchmark(port, max(1000, args.n // 10), 16)    # warm-up
                    for p in (16, 1):
                        n = args.n if p > 1 else max(1000, args.n // 5)
                        for t, v in benchmark(port, n, p).items():
                            rps[key][f"{t}{'_P16' if p > 1 else ''}"].append(v)
            except Exception as e:  # noqa: BLE001 - one failed round is reported, not fatal
                errors.append(f"round {rnd} {key}: {e}")
                progress(f"  failed: {e}")
    results["requests_per_s"] = rps
    results["errors"] = errors
    results["setup"] = {
        "accelerator": "TCG for every VM" if accel != "kvm" else "KVM",
        "guest_memory_mib": MEM_MIB, "clients": CLIENTS, "requests": args.n,
        "rounds": args.rounds, "qemu_machine": "microvm",
        "host": platform.node(), "cpu": cpu_model(),
    }

    def ratio(metric):
        s, l = rps["skiff"][metric], rps.get("linux_vm", {}).get(metric)
        if s and l:
            return statistics.median(s) / statistics.median(l)
        return None

    results["ratio_skiff_over_linux_vm"] = {m: ratio(m) for m in ("GET_P16", "SET_P16", "GET", "SET")}
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "redis.json"), "w") as f:
        json.dump(results, f, indent=2)

    labels = {"skiff": "skiff (microvm, TCG)", "linux_vm": "Linux VM (microvm, TCG)",
              "process": "host process"}
    keys = variants.keys()
    print(f"| figure | {' | '.join(labels[k] for k in keys)} | Unikraft (published, KVM) |")
    print("|---|" + "---|" * (len(keys) + 1))
    size = [f"{results['skiff_image_bytes'] / 1e6:.2f} MB"]
    if "linux_vm" in keys:
        size.append(f"{results['linux_vm_image_bytes'] / 1e6:.2f} MB (kernel + initramfs)")
    size.append(f"{results['linux_binary_bytes'] / 1e6:.2f} MB (static binary)")
    print(f"| image size (stripped) | {' | '.join(size)} | 1.12 MB (LTO) |")
    print(f"| image size, Redis at -Os (stripped) | {results['skiff_image_os_bytes'] / 1e6:.2f} MB | "
          + " | ".join(["n/a"] * (len(keys) - 1)) + " | 1.12 MB (LTO) |")
    if "smallest_mem_mib" in results:
        mem = [f"{results['smallest_mem_mib']} MiB"] + ["n/a"] * (len(keys) - 1)
        print(f"| smallest memory that serves (the 4 MiB stacks Redis asks for its 3 bio threads "
              f"are committed as they grow) | {' | '.join(mem)} | 7 MB |")
    for metric, label in (("GET_P16", "GET req/s, -P 16"), ("SET_P16", "SET req/s, -P 16"),
                          ("GET", "GET req/s, no pipelining"), ("SET", "SET req/s, no pipelining")):
        r = ratio(metric)
        extra = f" (skiff/Linux VM {r:.2f}×)" if r else ""
        uk = "1.7× a Linux VM" if metric.endswith("P16") else ""
        print(f"| {label}{extra} | {' | '.join(cell(rps[k][metric]) for k in keys)} | {uk} |")
    print()
    print_notes([
        f"all VMs under {results['setup']['accelerator']}; QEMU microvm, {MEM_MIB} MiB each, "
        f"slirp port forward (as `skiff run --port`); redis-benchmark -c {CLIENTS} -t get,set, "
        f"{args.n} requests with -P 16, {max(1000, args.n // 5)} without; {args.rounds} rounds, "
        "variants interleaved, a fresh server each; median (min–max)",
        "same Redis 7.0.15 sources (Debian's orig tarball), MALLOC=libc, persistence off; "
        "Linux build: host gcc + glibc, -O2 -static"], errors)
    return 0


if __name__ == "__main__":
    sys.exit(main())
