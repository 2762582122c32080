#!/usr/bin/env python3
"""Network servers at 1 and 2 vCPUs: requests/s of the httpd under wrk and of Redis with
`io-threads 2` under redis-benchmark, each guest on a tap in a fresh network namespace
(as tests/hard/soak.py), `skiff run --cpus 1` and `--cpus 2` interleaved round by round,
medians. Figures, not asserts. Prints a Markdown table and writes build/bench/smp_net.json.

    python3 tests/bench/smp_net.py [--rounds 3] [--seconds 5] [--no-redis]

The httpd runs a worker thread per vCPU (`-w N`, each accepting from the shared listening
socket), and beside it with one worker (`-w 1`: the server before it had workers, so the
second CPU only takes the interrupt and driver-thread work); Redis's I/O threads run on the
second CPU too. Redis needs its image
from apps/redis/recipe.py (built here when missing, several minutes). No Linux-VM rows:
the bench's Linux VM has no httpd, and its Redis row is in tests/bench/redis.py (slirp).
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests", "hard"))
import hardutil as h  # noqa: E402
from skiffpy.bench.wrk import parse_wrk  # noqa: E402  (hardutil puts tools/ on the path)

OUT = os.path.join(ROOT, "build", "bench")
REDIS_ELF = os.path.join(OUT, "redis", "redis.elf")
REDIS_READY = "Ready to accept connections"
REDIS_ARGS = ["--save", "", "--appendonly", "no", "--daemonize", "no", "--protected-mode", "no",
              "--bind", "0.0.0.0", "--io-threads", "2", "--io-threads-do-reads", "yes"]


def httpd_rps(ns, cpus, seconds, workers):
    with h.guest(ns, h.site()["image"], ["-s", "-w", str(workers)], timeout=seconds + 180,
                 cpus=cpus) as g:
        assert f"{workers} worker" in g.out.decode(), g.log()
        r = subprocess.run([*ns, "wrk", "-t2", "-c50", f"-d{seconds}s", "--timeout", "10s",
                            f"http://{h.GUEST_IP}/"], capture_output=True, text=True,
                           timeout=seconds + 120)
        assert r.returncode == 0 and g.proc.poll() is None, r.stdout + r.stderr + g.log()
    w = parse_wrk(r.stdout)
    assert w["error_total"] == 0, r.stdout
    return w["rps"]


def redis_rps(ns, cpus, requests):
    with h.guest(ns, REDIS_ELF, REDIS_ARGS, timeout=900, mem="128M", ready=REDIS_READY,
                 cpus=cpus) as g:
        r = subprocess.run([*ns, "redis-benchmark", "-h", h.GUEST_IP, "-q", "-c", "50",
                            "-n", str(requests), "-t", "get,set"], capture_output=True,
                           text=True, timeout=900)
        assert r.returncode == 0 and g.proc.poll() is None, r.stdout + r.stderr + g.log()
    rates = {}
    for line in r.stdout.replace("\r", "\n").splitlines():
        name, _, rest = line.partition(":")
        if name in ("SET", "GET") and "requests per second" in rest:
            rates[name] = float(rest.split()[0])
    assert set(rates) == {"SET", "GET"}, r.stdout
    return rates["GET"], rates["SET"]


def build_redis():
    if not os.path.exists(REDIS_ELF):
        os.makedirs(os.path.dirname(REDIS_ELF), exist_ok=True)
        r = subprocess.run([sys.executable, os.path.join(ROOT, "apps", "redis", "recipe.py"),
                            "-o", REDIS_ELF, "--opt=-O2"], capture_output=True, text=True,
                           timeout=1800)
        if r.returncode != 0:
            sys.exit(f"smp_net: the Redis recipe failed:\n{r.stderr[-2000:]}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--seconds", type=int, default=5, help="wrk run length")
    ap.add_argument("-n", type=int, default=20000, help="redis-benchmark requests per test")
    ap.add_argument("--no-redis", action="store_true")
    args = ap.parse_args()
    if args.rounds < 1 or args.seconds < 1 or args.n < 1:
        sys.exit("smp_net: --rounds, --seconds and -n must be positive")
    why = h.namespace_missing()
    if why:
        sys.exit(f"smp_net: needs a tap device in a network namespace ({why})")
    if not args.no_redis:
        build_redis()
    rows = {(n, c): [] for n in ("httpd", "httpd -w 1") for c in (1, 2)}
    if not args.no_redis:
        rows.update({("redis GET", c): [] for c in (1, 2)})
        rows.update({("redis SET", c): [] for c in (1, 2)})
    load = os.getloadavg()[0]
    for rnd in range(args.rounds):
        for cpus in (1, 2):
            with h.tap_namespace("smpnet") as ns:
                rows[("httpd", cpus)].append(httpd_rps(ns, cpus, args.seconds, cpus))
                rows[("httpd -w 1", cpus)].append(httpd_rps(ns, cpus, args.seconds, 1))
                if not args.no_redis:
                    get, set_ = redis_rps(ns, cpus, args.n)
                    rows[("redis GET", cpus)].append(get)
                    rows[("redis SET", cpus)].append(set_)
            print(f"round {rnd + 1} --cpus {cpus}: " + ", ".join(
                f"{k[0]} {v[-1]:.0f}" for k, v in rows.items() if k[1] == cpus), flush=True)
    names = sorted({k[0] for k in rows}, key=lambda n: (not n.startswith("httpd"), n))
    med = {f"{n} cpus{c}": statistics.median(rows[(n, c)]) for n in names for c in (1, 2)}
    lines = ["| server | 1 vCPU | 2 vCPUs | 2 / 1 |", "|---|---|---|---|"]
    for n in names:
        one, two = med[f"{n} cpus1"], med[f"{n} cpus2"]
        lines.append(f"| {n} req/s | {one:.0f} | {two:.0f} | {two / one:.2f}x |")
    print("\n".join(lines))
    bench = "" if args.no_redis else f", redis-benchmark -c 50 -n {args.n} -t get,set"
    print(f"\nmedians of {args.rounds} rounds; wrk -t2 -c50 -d{args.seconds}s{bench}; tap; "
          f"TCG; host load {load:.1f} at the start")
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "smp_net.json"), "w") as f:
        json.dump(dict(medians=med, runs={f"{k[0]} cpus{k[1]}": v for k, v in rows.items()},
                       rounds=args.rounds, seconds=args.seconds, n=args.n,
                       load_at_start=load, when=time.strftime("%Y-%m-%dT%H:%M:%SZ",
                                                              time.gmtime())), f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
