#!/usr/bin/env python3
"""Soak runs against skiff's httpd and echo server over a tap in a fresh network namespace.

  wrk      httpd -s under `wrk -t2 -c64`: a warm-up (20% of --seconds, 3-30 s), then the soak
           for --seconds, /_stats sampled every few seconds: wrk errors (goal 0), requests
           served, malloc's bytes in use once idle and the heap high-water mark, each after
           the warm-up and after the soak
  conns    --sequential connections opened and closed one after another (GET / each),
           malloc's bytes in use once idle after 10% of them and at the end
  echo     --clients TCP connections to apps/echo open at once, each echoing payloads
  --cpus N boots the httpd and echo guests with N vCPUs (test_soak runs them at 2 as well)
  loss     a 10 MiB download over the clean tap and through tests/hard/netem.py (5% loss,
           5% reordering, 2% duplication, both directions): sha256 and throughput

`make soak` runs all four at full size (600 s, 100,000, 500, 10 MiB) and prints a table;
results go to build/soak/results.json. tests/hard/test_soak.py and test_faults.py call the
same functions with CI sizes.

Heap criteria. (1) No leak: malloc's bytes in use, read once the load has gone (only the
/_stats connection open), at most 16 KiB above the same reading after a warm-up under
the same load (what a first load allocates for good, ~1.7 KiB, is not counted). (2) Flat: sbrk's
high-water mark at the end at most 64 KiB above its value 20% into the soak.
Measured (30 s and 90 s runs, 1 and 2 vCPUs, 17 runs): once idle the
bytes in use come back to the warm-up's figure plus ~2.5 KiB, the /_stats sampler's own
TIME-WAIT pcbs (272 B each), after 100,000 requests or 600,000 alike. Under wrk -c64 they
swing by up to ~70 KiB between samples (segments and pbufs in flight), so the high-water
mark keeps finding new peaks in 4 KiB steps: 0-24 KiB after the 20% mark (11 runs; more at 2
vCPUs, where a 16 KiB bound failed once in CI at 20 KiB): noise, not a leak. malloc's
smallest block is 32 bytes, so at CI size (~100,000 requests at 2 vCPUs, 200,000 at 1) (1)
catches a leak of any size on one request in 200, and (2), which is there for memory a
connection holds until it closes (invisible to (1)), such a block kept on one request in
35. For the sequential connections, whose closed TIME-WAIT pcbs hold memory for 10 s in
proportion to the connection rate, the criterion is (1) with the first 10% as the
warm-up and 12 s of quiet before each reading.
"""
import argparse
import json
import os
import subprocess
import sys
import time

import hardutil as h
from skiffpy.bench.wrk import parse_wrk  # noqa: E402  (hardutil puts tools/ on the path)

OUT = os.path.join(h.ROOT, "build", "soak")
GUEST_SLACK = 180            # seconds the VM's --timeout allows beyond the planned load
LEAK_SLACK = 16 << 10        # growth of malloc's bytes in use once idle, after the warm-up's
HIGH_SLACK = 64 << 10        # growth of the heap high-water mark from 20% into the soak to its end


def warmup_seconds(seconds):
    """The warm-up's length: 20% of the soak's, at least 3 s, at most 30 s."""
    return min(30, max(3, seconds // 5))


def run_wrk(ns, seconds, connections, threads):
    """wrk inside ns for `seconds` against the httpd: (its report, its output)."""
    r = subprocess.run([*ns, "wrk", f"-t{threads}", f"-c{connections}", f"-d{int(seconds)}s",
                        "--timeout", "10s", "--latency", f"http://{h.GUEST_IP}/"],
                       capture_output=True, text=True, timeout=seconds + 120)
    assert r.returncode == 0, f"wrk failed:\n{r.stdout}{r.stderr}"
    return parse_wrk(r.stdout), r.stdout


def high_water_into(samples, seconds, fraction=0.2):
    """sbrk's high-water mark at the first sample `fraction` of the way into the soak (the
    sampler starts 0.5 s before wrk), or at the last sample when none came that late."""
    good = [s for s in samples if "heap_high" in s]
    assert good, f"no /_stats sample succeeded: {samples[:5]}"
    return next((s for s in good if s["t"] >= 0.5 + seconds * fraction), good[-1])["heap_high"]


def wrk_soak(seconds, connections=64, threads=2, sample_every=None, cpus=1):
    """httpd under wrk: a warm-up (warmup_seconds) and the soak itself (`seconds`), with
    /_stats read once idle after each and sampled during the soak; returns the figures
    (raises AssertionError on a setup failure, never on the figures: callers judge them)."""
    sample_every = sample_every or max(1.0, seconds / 60)
    image = h.site()["image"]
    with h.tap_namespace("wrk") as ns:
        if ns is None:
            return None
        with h.guest(ns, image, ["-s", "-w", str(cpus)], timeout=seconds + GUEST_SLACK, cpus=cpus) as g:
            base = h.probe(ns, "stats", h.GUEST_IP)
            warm_wrk, _ = run_wrk(ns, warmup_seconds(seconds), connections, threads)
            warm = h.idle_stats(ns, h.GUEST_IP)
            sampler = h.start_probe(ns, "sample", h.GUEST_IP, sample_every)
            time.sleep(0.5)
            start = time.monotonic()
            wrk, out = run_wrk(ns, seconds, connections, threads)
            wall = time.monotonic() - start
            time.sleep(1)
            samples = h.stop_sampler(sampler)
            after = h.idle_stats(ns, h.GUEST_IP)
            alive = g.proc.poll() is None
            log = g.log()
    busy = [s for s in samples if "malloc_in_use" in s]
    high_warm = high_water_into(samples, seconds)
    high_growth = after["heap_high"] - high_warm
    leak = after["malloc_in_use"] - warm["malloc_in_use"]
    return dict(kind="wrk", cpus=cpus, seconds=round(wall, 1), connections=connections,
                warmup_seconds=warmup_seconds(seconds), warmup_requests=warm_wrk["requests"],
                warmup_errors=warm_wrk["error_total"],
                requests=wrk["requests"], rps=round(wrk["rps"]), latency_ms=wrk["latency_ms"],
                errors=wrk["errors"], error_total=wrk["error_total"],
                served=after["requests"] - warm["requests"],
                accepted=after["accepted"] - warm["accepted"],
                sample_errors=sum(1 for s in samples if "error" in s), samples=len(samples),
                heap_high_before=base["heap_high"], heap_high_warm=high_warm,
                heap_high_after=after["heap_high"], heap_growth_after_warmup=high_growth,
                heap_flat=high_growth <= HIGH_SLACK,
                malloc_in_use_before=base["malloc_in_use"], malloc_in_use_warm=warm["malloc_in_use"],
                malloc_in_use_peak=max((s["malloc_in_use"] for s in busy), default=None),
                malloc_in_use_after=after["malloc_in_use"], malloc_growth=leak,
                no_leak=leak <= LEAK_SLACK,
                free_low=after["free_low"], ram=after["ram"], guest_alive=alive,
                wrk_output=out, guest_log=log[-3000:])


QUIET = 12    # seconds for closed connections' TIME-WAIT (2 MSL = 10 s) to run out


def sequential(count, cpus=1):
    """count sequential connections (GET /, Connection: close) against httpd: a warm-up pass
    of 10%, then the rest; malloc's bytes in use are read after each pass once TIME-WAIT has
    drained, and must come back to the warm-up's figure (a leak of one byte a connection
    shows at 100,000)."""
    image = h.site()["image"]
    with h.tap_namespace("conns") as ns:
        if ns is None:
            return None
        # ~1-3 ms a connection under TCG on a shared machine: allow 10 ms
        with h.guest(ns, image, ["-s", "-w", str(cpus)], timeout=count // 100 + GUEST_SLACK, cpus=cpus) as g:
            base = h.probe(ns, "stats", h.GUEST_IP)
            warm_n = max(1, count // 10)
            warm_run = h.probe(ns, "conns", h.GUEST_IP, warm_n, timeout=warm_n // 50 + 120)
            time.sleep(QUIET)
            warm = h.probe(ns, "stats", h.GUEST_IP)
            rest = h.probe(ns, "conns", h.GUEST_IP, count - warm_n,
                           timeout=(count - warm_n) // 50 + 120)
            peak = h.probe(ns, "stats", h.GUEST_IP)
            time.sleep(QUIET)
            after = h.probe(ns, "stats", h.GUEST_IP)
            alive = g.proc.poll() is None
            log = g.log()
    ok, errors = warm_run["ok"] + rest["ok"], warm_run["errors"] + rest["errors"]
    leak = after["malloc_in_use"] - warm["malloc_in_use"]
    return dict(kind="conns", cpus=cpus, count=count, ok=ok, errors=errors,
                first_errors=warm_run["first_errors"] + rest["first_errors"],
                seconds=round(warm_run["seconds"] + rest["seconds"], 1),
                accepted=after["accepted"] - base["accepted"] - 3,   # minus three /_stats
                heap_high_before=base["heap_high"], heap_high_warm=warm["heap_high"],
                heap_high_after=after["heap_high"],
                heap_growth_after_warmup=after["heap_high"] - warm["heap_high"],
                malloc_in_use_warm=warm["malloc_in_use"], malloc_in_use_peak=peak["malloc_in_use"],
                malloc_in_use_after=after["malloc_in_use"], malloc_growth=leak,
                no_leak=leak <= LEAK_SLACK, guest_alive=alive, guest_log=log[-3000:])


_echo = []


def echo_image():
    if not _echo:
        _echo.append(h.netutil.build("hard-echo", ["apps/echo/echo.c"]))
    return _echo[0]


def echo_clients(clients, rounds=3, cpus=1):
    """clients concurrent TCP connections to apps/echo, each echoing `rounds` payloads."""
    with h.tap_namespace("echo") as ns:
        if ns is None:
            return None
        with h.guest(ns, echo_image(), timeout=600, ready="echo: listening", cpus=cpus) as g:
            res = h.probe(ns, "echo", h.GUEST_IP, 7, clients, rounds, timeout=900)
            alive = g.proc.poll() is None
            log = g.log()
    return dict(kind="echo", cpus=cpus, **res, guest_alive=alive, guest_log=log[-3000:])


def download(ns, net, timeout):
    """Boot httpd on `net` inside ns and fetch /big.bin once; (probe result, stats, log)."""
    with h.guest(ns, h.site()["image"], ["-s"], net=net, timeout=timeout + 120) as g:
        res = h.probe(ns, "get", h.GUEST_IP, "/big.bin", timeout, timeout=timeout + 60)
        # connecting through the lossy link may take a few SYN retries
        try:
            stats = h.probe(ns, "stats", h.GUEST_IP, 60, timeout=120)
        except AssertionError as e:
            stats = dict(error=str(e)[-300:])
        return res, stats, g.log()


def loss_throughput(loss=0.05, reorder=0.05, dup=0.02, seed=1, timeout=400):
    """The 10 MiB download over the clean tap, then through netem; both results."""
    want = h.site()["big_sha"]
    with h.tap_namespace("loss") as ns:
        if ns is None:
            return None
        clean, _, _ = download(ns, None, 120)
        with h.lossy_link(ns, loss, reorder, dup, seed) as (net, counters):
            lossy, stats, log = download(ns, net, timeout)
    def mbps(r):
        return round(r["bytes"] * 8 / r["seconds"] / 1e6, 2) if "bytes" in r else None
    return dict(kind="loss", bytes=h.BIG, want_sha256=want, clean=clean, lossy=lossy,
                clean_ok=clean.get("sha256") == want, lossy_ok=lossy.get("sha256") == want,
                clean_mbit_s=mbps(clean), lossy_mbit_s=mbps(lossy),
                impairments=dict(loss=loss, reorder=reorder, dup=dup, seed=seed),
                netem=counters, stats_after=stats, server_alive_after="requests" in stats,
                guest_log=log[-3000:])


def table(results):
    rows = []
    w = results.get("wrk")
    if w:
        rows += [("wrk -c%d soak duration" % w["connections"], f"{w['seconds']:.0f} s"),
                 ("requests served (wrk / server)", f"{w['requests']:,} / {w['served']:,}"),
                 ("requests/s", f"{w['rps']:,}"),
                 ("p99 latency", f"{w['latency_ms'].get('p99', 0):.1f} ms"),
                 ("errors (goal 0)", f"{w['error_total']} " + str(w["errors"])),
                 ("malloc in use, idle: after warm-up / end (peak while busy)",
                  f"{w['malloc_in_use_warm']:,} / {w['malloc_in_use_after']:,} B "
                  f"({w['malloc_in_use_peak']:,} B)"),
                 ("malloc growth once idle (no leak: <= 16 KiB)",
                  f"{w['malloc_growth']} B, " + ("no leak" if w["no_leak"] else "LEAK")),
                 ("heap high-water: before / 20% into the soak / end",
                  f"{w['heap_high_before'] >> 10} / {w['heap_high_warm'] >> 10} / "
                  f"{w['heap_high_after'] >> 10} KiB"),
                 ("heap high-water growth from 20% in (flat: <= 64 KiB)",
                  f"{w['heap_growth_after_warmup']} B, " + ("flat" if w["heap_flat"] else "NOT FLAT"))]
    c = results.get("conns")
    if c:
        rows += [("sequential connections", f"{c['ok']:,} of {c['count']:,} in "
                  f"{c['seconds']:.0f} s, {c['errors']} errors"),
                 ("heap high-water: before / after 10% / end",
                  f"{c['heap_high_before'] >> 10} / {c['heap_high_warm'] >> 10} / "
                  f"{c['heap_high_after'] >> 10} KiB"),
                 ("malloc in use, idle: after 10% / end (peak while busy)",
                  f"{c['malloc_in_use_warm']:,} / {c['malloc_in_use_after']:,} B "
                  f"({c['malloc_in_use_peak']:,} B)")]
    e = results.get("echo")
    if e:
        rows += [("echo: concurrent TCP clients", f"{e['ok']} of {e['clients']} verified, "
                  f"{e['error_count']} errors, {e['seconds']:.0f} s")]
    l = results.get("loss")
    if l:
        imp = l["impairments"]
        rows += [("10 MiB download, clean tap", f"{l['clean_mbit_s']} Mbit/s, sha256 "
                  + ("ok" if l["clean_ok"] else "WRONG")),
                 (f"10 MiB download, {imp['loss']:.0%} loss + {imp['reorder']:.0%} reorder"
                  f" + {imp['dup']:.0%} dup", f"{l['lossy_mbit_s']} Mbit/s, sha256 "
                  + ("ok" if l["lossy_ok"] else "WRONG: " + str(l["lossy"])))]
    width = max(len(r[0]) for r in rows) if rows else 0
    lines = [f"| {'figure':<{width}} | value |", f"|{'-' * (width + 2)}|-------|"]
    lines += [f"| {a:<{width}} | {b} |" for a, b in rows]
    return "\n".join(lines)


def verdict(results):
    """Failures by the goals: zero errors, no leak and a flat heap, every client verified, right sha256."""
    bad = []
    w, c, e, l = (results.get(k) for k in ("wrk", "conns", "echo", "loss"))
    if w and (w["error_total"] or w["warmup_errors"] or not w["heap_flat"] or not w["no_leak"]
              or not w["guest_alive"] or w["served"] < w["requests"]):
        bad.append("wrk soak")
    if c and (c["errors"] or c["ok"] != c["count"] or not c["no_leak"] or not c["guest_alive"]):
        bad.append("sequential connections")
    if e and (e["ok"] != e["clients"] or not e["guest_alive"]):
        bad.append("echo clients")
    if l and not (l["clean_ok"] and l["lossy_ok"]):
        bad.append("lossy download")
    return bad


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=int, default=600, help="wrk soak length (0: skip)")
    ap.add_argument("--sequential", type=int, default=100000, help="connections (0: skip)")
    ap.add_argument("--clients", type=int, default=500, help="echo clients (0: skip)")
    ap.add_argument("--no-loss", action="store_true", help="skip the lossy download")
    ap.add_argument("--cpus", type=int, default=1, choices=range(1, 17), metavar="N",
                    help="vCPUs of the httpd and echo guests (1-16)")
    args = ap.parse_args()
    why = h.namespace_missing()
    if why:
        sys.exit(f"soak: needs a tap device in a network namespace ({why})")
    results = dict(started=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()))
    steps = [("wrk", args.seconds, lambda: wrk_soak(args.seconds, cpus=args.cpus)),
             ("conns", args.sequential, lambda: sequential(args.sequential, cpus=args.cpus)),
             ("echo", args.clients, lambda: echo_clients(args.clients, cpus=args.cpus)),
             ("loss", not args.no_loss, loss_throughput)]
    for name, wanted, fn in steps:
        if wanted:
            print(f"soak: {name} ...", flush=True)
            results[name] = fn()
    os.makedirs(OUT, exist_ok=True)
    path = os.path.join(OUT, "results.json")
    with open(path, "w") as f:
        json.dump(results, f, indent=1)
    print(table(results))
    bad = verdict(results)
    print(f"results: {os.path.relpath(path, h.ROOT)}; "
          + ("all goals met" if not bad else "FAILED: " + ", ".join(bad)))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
