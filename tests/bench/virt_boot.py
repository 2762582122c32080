#!/usr/bin/env python3
"""What q35 (the machine libvirt can run) costs against microvm: hello start-to-exit under skiff run, and under libvirtd.

Prints a Markdown table (median of N runs, TCG) and writes build/bench/virt_boot.json.
Rows: `skiff run` on microvm (skiff's default), `skiff run --machine q35` (the machine
skiff virt-xml writes), and `virsh create` of skiff virt-xml's domain until the domain
has gone (the guest powered off), on the private libvirtd of tests/virt/libvirt_rig.py
(root only; the row is left out, with the reason, where libvirtd cannot run).
    tools/skiff bench virt [--runs N] [--quick]
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests", "virt"))

import libvirt_rig as rig  # noqa: E402

OUT = os.path.join(ROOT, "build", "bench")


def timed(argv, env):
    start = time.monotonic()
    result = subprocess.run(argv, env=env, stdin=subprocess.DEVNULL, capture_output=True,
                            timeout=300)
    secs = time.monotonic() - start
    assert result.returncode == 0, (argv, result.stderr)
    return secs


def libvirt_once(lv, image, work, i):
    name = f"skiff-bench-{os.getpid()}-{i}"
    console = os.path.join(work, f"console-{i}")
    xml = rig.skiff("virt-xml", image, "--name", name, "--console", console)
    assert xml.returncode == 0, xml.stderr
    path = os.path.join(work, f"domain-{i}.xml")
    with open(path, "w") as f:
        f.write(xml.stdout)
    start = time.monotonic()
    lv.virsh("create", path)
    while lv.running(name):
        time.sleep(0.02)
    secs = time.monotonic() - start
    text = open(console).read()
    assert text.rstrip().endswith("skiff: exit 0"), text
    return secs


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--quick", action="store_true", help="3 runs")
    args = ap.parse_args()
    runs = 3 if args.quick else args.runs
    image = rig.build("hello", ["apps/hello/hello.c"])
    env = dict(os.environ, SKIFF_ACCEL="tcg")
    rows = {}
    for label, extra in (("skiff run, microvm", []), ("skiff run, q35", ["--machine", "q35"])):
        rows[label] = [timed([rig.SKIFF, "run", image, *extra], env) for _ in range(runs)]
    skipped = None
    lv = rig.daemon()
    if lv is None:
        skipped = "libvirtd cannot run here (see the SKIP line)"
    else:
        work = rig.workdir("bench")
        rows["virsh create, q35 (until the domain is gone)"] = \
            [libvirt_once(lv, image, work, i) for i in range(runs)]
    base = statistics.median(rows["skiff run, microvm"])
    print(f"hello start-to-exit, median of {runs} runs, TCG\n")
    print("| how | median ms | vs microvm |\n|---|---:|---:|")
    for label, values in rows.items():
        med = statistics.median(values)
        print(f"| {label} | {med * 1000:.0f} | {med / base:.2f}x |")
    if skipped:
        print(f"\nlibvirt row left out: {skipped}")
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "virt_boot.json"), "w") as f:
        json.dump({"runs": runs, "seconds": rows, "skipped": skipped}, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
