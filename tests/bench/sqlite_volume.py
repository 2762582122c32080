#!/usr/bin/env python3
"""SQLite's 60,000-INSERT script (tests/bench/ports.py's insert.sql) with the database on a 9p volume: skiff against the Linux VM over the same share.

Prints a Markdown table and writes build/bench/sqlite_volume.json. Figures, not asserts.
    tools/skiff bench sqlite-volume [--runs 3]

  skiff      the sqlite3 port with the script in its image, `skiff run -v DIR:/data`
  Linux VM   the same sources built static as /app, the script as /www/insert.sql, Debian's
             generic kernel mounting DIR at /data over virtio-9p (msize and cache=none as in
             skiff bench's disk rows: tools/skiffpy/bench/disk.py)
Each run starts with an empty folder; the database is /data/bench.db (default rollback
journal). The figure is the program's own: julianday('now') around BEGIN ... COMMIT.
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys

import ports

from skiffpy.bench import host as bench_host  # noqa: E402  (skiff bench puts tools/ on the path)
from skiffpy.bench.disk import DiskBench  # noqa: E402

RESULTS = os.path.join(ports.ROOT, "build", "bench", "sqlite_volume.json")
ARGS = ["-batch", "-init", "/www/insert.sql", "/data/bench.db", ".exit"]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    os.makedirs(os.path.join(ports.WORK, "skiff"), exist_ok=True)
    host = bench_host.facts()
    ports.progress("writing the workload, building sqlite3 (skiff and static Linux)")
    _, sqlite_files = ports.write_workloads()
    sqlite = ports.Port("sqlite", "sqlite", "sqlite3", sqlite_files)
    sqlite.build_linux()
    disk = DiskBench(ports.WORK, host["accel"], host["tsc_khz"], ports.VM_MEM_MIB * ports.MIB,
                     False, args.runs, ports.progress)
    disk.setup()
    if not disk.kernel:
        sys.exit("bench: no generic Debian kernel (tools/deps.sh linux-vm-full)")
    initrd = disk.initramfs(sqlite.linux_bin, "sqlite-volume",
                            os.path.join(sqlite_files, "www"))
    share = os.path.join(disk.work, "share-sqlite")
    times = {"skiff": [], "linux_vm": []}
    for rnd in range(1, args.runs + 1):
        for key in times:
            ports.progress(f"sqlite on a volume: run {rnd}/{args.runs}: {key}")
            shutil.rmtree(share, ignore_errors=True)
            os.makedirs(share)
            if key == "skiff":
                r = subprocess.run([ports.SKIFF, "run", sqlite.elf, "--quiet", "--mem",
                                    f"{ports.VM_MEM_MIB}M", "-v", f"{share}:/data", "--", *ARGS],
                                   stdin=subprocess.DEVNULL, capture_output=True, timeout=900)
                out, why = r.stdout, None if r.returncode == 0 else f"status {r.returncode}"
            else:
                out, why = disk.linux_on_share(initrd, share, ARGS)
            ms = ports.guest_ms(out, "insert")
            if why or ports.EXPECT_INSERTS not in out or ms is None:
                ports.progress(f"{key}: failed ({why}): {out[-300:]!r}")
                continue
            check = subprocess.run(["sqlite3", os.path.join(share, "bench.db"),
                                    "PRAGMA integrity_check; SELECT count(*) FROM t;"],
                                   capture_output=True, text=True, timeout=60)
            if check.stdout.split() != ["ok", "60000"]:
                ports.progress(f"{key}: the database on the host: {check.stdout!r}")
                continue
            times[key].append(ms)
    cells = {k: {"median": statistics.median(v), "min": min(v), "max": max(v), "n": len(v)}
             for k, v in times.items() if v}
    print(f"\n| SQLite 60,000 INSERTs, one transaction, database on a 9p volume "
          f"({host['accel']}) | skiff | Linux VM |\n|---|---:|---:|")
    row = [f"{c['median']:,.0f} ms ({c['min']:,.0f}–{c['max']:,.0f})" if (c := cells.get(k))
           else "failed" for k in times]
    print("| time inside the program, median (min–max) | " + " | ".join(row) + " |")
    if len(cells) == 2:
        print(f"\nskiff / Linux VM: {cells['skiff']['median'] / cells['linux_vm']['median']:.2f}"
              "× the time")
    os.makedirs(os.path.dirname(RESULTS), exist_ok=True)
    with open(RESULTS, "w") as f:
        json.dump({"host": host, "runs": args.runs, "cells": cells, "samples": times}, f,
                  indent=1)


if __name__ == "__main__":
    main()
