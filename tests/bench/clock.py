#!/usr/bin/env python3
"""Clock figures (issue 13): guest CLOCK_REALTIME against the host's over 10 minutes under TCG.

Boots the clock probe guest twice side by side: through `skiff run` (the guest clock is
disciplined to skiff run's time service) and with the plain QEMU command line of
`skiff run --dry-run` (no time service: the RTC's whole second and the calibrated TSC,
what a bare `qemu -kernel` boot gets). The guest prints its time every second; the host
timestamps each line on arrival. For each mark the table gives the smallest lag
(arrival - guest, ms) over the 10 samples before it: a positive lag is the guest behind
the host (plus the relay delay), a negative one the guest ahead. Also: the largest
|smallest lag| over all windows, and how many samples were ahead. Prints a Markdown
table and writes build/bench/clock.json. Figures, not asserts."""
import argparse
import concurrent.futures
import json
import os
import shlex
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests", "common"))

import clock_lag  # noqa: E402

from skiffpy.qemu import without_console_link  # noqa: E402

SKIFF = os.path.join(ROOT, "tools", "skiff")
OUT_DIR = os.path.join(ROOT, "build", "bench")
ENV = dict(os.environ, SKIFF_ACCEL=os.environ.get("SKIFF_ACCEL", "tcg"))
WINDOW = 10


def plain_qemu(image, args):
    cmd = subprocess.run([sys.executable, SKIFF, "run", "--dry-run", image, "--", *args],
                         capture_output=True, text=True, env=ENV, check=True).stdout
    return without_console_link(shlex.split(cmd.strip().splitlines()[-1]))


def figures(pairs, marks):
    lags = [(arrival - guest) / 1e6 for arrival, guest in pairs]
    row = {}
    for minute in marks:
        end = min(len(lags), minute * 60)
        window = lags[max(0, end - WINDOW):end]
        row[f"{minute} min"] = round(min(window), 3) if window else None
    mins = clock_lag.window_min_lags(pairs, WINDOW)
    row["max abs lag"] = round(max(abs(m) for m in mins), 3) if mins else None
    row["ahead"] = sum(1 for lag in lags if lag < 0)
    row["samples"] = len(lags)
    return row


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=int, default=10)
    opts = parser.parse_args()
    os.makedirs(OUT_DIR, exist_ok=True)
    image = clock_lag.build_guest(os.path.join(OUT_DIR, "clock.elf"))
    args = [str(opts.minutes * 60), "1000"]
    runs = {
        "skiff run (time service)": [sys.executable, SKIFF, "run", image, "--", *args],
        "plain QEMU (RTC + TSC)": plain_qemu(image, args),
    }
    print(f"[bench] {opts.minutes} min, both guests at once ...", file=sys.stderr, flush=True)
    with concurrent.futures.ThreadPoolExecutor(len(runs)) as pool:
        futures = {name: pool.submit(clock_lag.sample, argv, ENV) for name, argv in runs.items()}
        results = {name: f.result()[0] for name, f in futures.items()}
    marks = [m for m in (1, 5, 10) if m <= opts.minutes] or [opts.minutes]
    rows = {name: figures(pairs, marks) for name, pairs in results.items()}
    cols = [f"{m} min" for m in marks] + ["max abs lag", "ahead", "samples"]
    print("| guest clock | " + " | ".join(cols) + " |")
    print("|---|" + "---|" * len(cols))
    for name, row in rows.items():
        print(f"| {name} | " + " | ".join(str(row[c]) for c in cols) + " |")
    print("\nlag = host arrival - guest CLOCK_REALTIME, ms (smallest of the 10 samples before "
          "each mark); ahead = samples where the guest was ahead of the host")
    with open(os.path.join(OUT_DIR, "clock.json"), "w") as f:
        json.dump({"window": WINDOW, "rows": rows}, f, indent=1)


if __name__ == "__main__":
    main()
