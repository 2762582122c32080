#!/usr/bin/env python3
"""Network figures (issue 3): httpd image size, smallest --mem that serves, and wrk
requests/s + p99 latency over slirp's port forward and over a tap in a network namespace.

Prints a Markdown table and writes build/bench/net.json. Figures, not asserts.
    tools/skiff bench net [--duration 10] [--no-tap]
"""
import argparse
import json
import os
import platform
import shutil
import socket
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests", "net"))
import netutil  # noqa: E402
from skiffpy.bench.memsearch import smallest_bisect
from skiffpy.bench.progress import progress
from skiffpy.bench.wrk import parse_wrk, wrk_command

OUT = os.path.join(ROOT, "build", "bench")
HTTPD = ["apps/httpd/httpd.c", "apps/httpd/http_parse.c", "apps/httpd/http_files.c",
         "apps/httpd/http_stats.c"]
INDEX = b"<!doctype html><title>skiff</title><h1>Hello from skiff httpd</h1>\n"
NS = f"skiff-bench-{os.getpid()}"
HOST_IP, GUEST_IP = "192.168.78.1", "192.168.78.2"


def site():
    d = tempfile.mkdtemp(prefix="skiff-bench-www-")
    with open(os.path.join(d, "index.html"), "wb") as f:
        f.write(INDEX)
    return d


def http_get(host, port, path="/index.html"):
    s = socket.create_connection((host, port), timeout=5)
    s.settimeout(5)
    s.sendall(f"GET {path} HTTP/1.1\r\nHost: b\r\nConnection: close\r\n\r\n".encode())
    data = b""
    while True:
        chunk = s.recv(65536)
        if not chunk:
            break
        data += chunk
    s.close()
    return data


def serves_with(image, mem_mib):
    """Does httpd boot with mem_mib MiB and answer 20 GETs (4 keep-alive bursts of 5)?"""
    port = netutil.free_port()
    env_before = os.environ.get("SKIFF_NO_HOST_CHECKS")
    os.environ["SKIFF_NO_HOST_CHECKS"] = "1"   # let the guest itself say whether it fits
    try:
        with netutil.Guest(image, ["--port", f"{port}:80", "--mem", f"{mem_mib}M"],
                           timeout=30) as g:
            g.wait_for("httpd: serving", seconds=15)
            for _ in range(20):
                if INDEX not in http_get("127.0.0.1", port):
                    return False
            return g.proc.poll() is None
    except (AssertionError, OSError):
        return False
    finally:
        if env_before is None:
            os.environ.pop("SKIFF_NO_HOST_CHECKS", None)
        else:
            os.environ["SKIFF_NO_HOST_CHECKS"] = env_before


def smallest_mem(image):
    """The smallest --mem (MiB) that serves: bisected between 1 (QEMU's floor, fails) and 64."""
    def serves(mib):
        if mib != 64:
            progress(f"--mem {mib}M ...")
        return serves_with(image, mib)
    return smallest_bisect(serves, 1, 64, 1)[0]


def wrk(prefix, url, duration):
    r = subprocess.run([*prefix, *wrk_command(url, duration)], capture_output=True, text=True,
                       timeout=duration + 60)
    if r.returncode != 0:
        raise RuntimeError(f"wrk failed: {r.stderr.strip()}")
    report = parse_wrk(r.stdout)
    return {"requests_per_s": report["rps"], "p99_ms": report["latency_ms"].get("p99"),
            "socket_errors": report["socket_errors"] or "none",
            "non_2xx": report["errors"]["non_2xx"]}, r.stdout


def bench_slirp(image, duration):
    port = netutil.free_port()
    with netutil.Guest(image, ["--port", f"{port}:80"], ready="httpd: serving",
                       timeout=duration + 120):
        http_get("127.0.0.1", port)
        return wrk([], f"http://127.0.0.1:{port}/index.html", duration)


def bench_tap(image, duration):
    ns = ["ip", "netns", "exec", NS]
    if not os.path.exists("/dev/net/tun") or os.geteuid() != 0:
        return None, "needs root and /dev/net/tun"
    if subprocess.run(["ip", "netns", "add", NS], capture_output=True).returncode != 0:
        return None, "ip netns add failed"
    try:
        for cmd in (["ip", "link", "set", "lo", "up"],
                    ["ip", "tuntap", "add", "dev", "tap0", "mode", "tap"],
                    ["ip", "addr", "add", f"{HOST_IP}/24", "dev", "tap0"],
                    ["ip", "link", "set", "tap0", "up"]):
            subprocess.run([*ns, *cmd], check=True, capture_output=True)
        with netutil.Guest(image, ["--net", "tap:tap0", "--append",
                                   f"ip={GUEST_IP}/24 gw={HOST_IP}"],
                           ready="httpd: serving", prefix=ns, timeout=duration + 120):
            return wrk(ns, f"http://{GUEST_IP}:80/index.html", duration)
    finally:
        subprocess.run(["ip", "netns", "del", NS], capture_output=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--duration", type=int, default=10, help="wrk seconds (default 10)")
    ap.add_argument("--no-tap", action="store_true", help="skip the tap measurement")
    args = ap.parse_args()
    os.makedirs(OUT, exist_ok=True)
    if not shutil.which("wrk"):
        sys.exit("bench: wrk is not installed (apt-get install wrk)")

    progress("building httpd")
    bare = netutil.build("httpd-bench-bare", HTTPD)
    image = netutil.build("httpd-bench", HTTPD, files=site())
    results = {
        "accelerator": os.environ.get("SKIFF_ACCEL", "tcg"),
        "qemu": subprocess.run(["qemu-system-x86_64", "--version"], capture_output=True,
                               text=True).stdout.splitlines()[0],
        "host": platform.platform(),
        "image_bytes": os.path.getsize(bare),
        "image_with_index_bytes": os.path.getsize(image),
    }
    progress("finding the smallest --mem that serves")
    results["min_mem_mib"] = smallest_mem(image)
    progress(f"wrk -t2 -c64 -d{args.duration}s over slirp")
    results["slirp"], slirp_raw = bench_slirp(image, args.duration)
    tap_raw = ""
    if not args.no_tap:
        progress(f"wrk -t2 -c64 -d{args.duration}s over tap")
        results["tap"], tap_raw = bench_tap(image, args.duration)
    with open(os.path.join(OUT, "net.json"), "w") as f:
        json.dump(results, f, indent=2)
    with open(os.path.join(OUT, "net-wrk.txt"), "w") as f:
        f.write(f"--- slirp ---\n{slirp_raw}\n--- tap ---\n{tap_raw}\n")

    def fmt(r, key, unit):
        return "n/a" if not r or r.get(key) is None else f"{r[key]:,.{1 if unit == 'ms' else 0}f} {unit}"

    print(f"httpd on skiff ({results['accelerator']}, {results['qemu']})\n")
    print("| figure | value | goal |")
    print("|---|---|---|")
    print(f"| httpd image size (stripped, no files) | {results['image_bytes'] / 1024:.0f} KiB | ≤ 400 KB |")
    print(f"| httpd image with index.html | {results['image_with_index_bytes'] / 1024:.0f} KiB | |")
    mm = results["min_mem_mib"]
    print(f"| smallest --mem that serves | {f'{mm} MiB' if mm else 'n/a'} | ≤ 4 MiB |")
    for name in ("slirp", "tap"):
        r = results.get(name)
        if name == "tap" and not isinstance(r, dict):
            print(f"| wrk over tap | not measured ({r or 'skipped'}) | |")
            continue
        print(f"| wrk -t2 -c64 -d{args.duration}s over {name}: requests/s | "
              f"{fmt(r, 'requests_per_s', 'req/s')} | |")
        print(f"| wrk over {name}: p99 latency | {fmt(r, 'p99_ms', 'ms')} | |")
        if r and (r["socket_errors"] != "none" or r["non_2xx"]):
            print(f"| wrk over {name}: errors | {r['socket_errors']}, non-2xx {r['non_2xx']} | 0 |")
    print(f"\nraw: {os.path.relpath(os.path.join(OUT, 'net.json'), ROOT)}, "
          f"{os.path.relpath(os.path.join(OUT, 'net-wrk.txt'), ROOT)}")


if __name__ == "__main__":
    main()
