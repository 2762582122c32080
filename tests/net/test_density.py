"""skiff bench density --quick: 3 idle httpd instances of each variant all answer, every cell is a number, nothing is left running."""
import functools
import json
import os
import re
import subprocess

import netutil

OUT = os.path.join(netutil.OUT, "density")
VARIANTS = ("skiff", "linux_vm", "container")
FIGURES = ("host_mib", "pss_mib", "rss_mib", "per_gib", "projected", "idle_cpu_pct",
           "idle_all_pct",
           "boot_rate", "boot_ms", "boot_cpu_ms", "boots_per_cpu_s")
QUICK_N = 3


@functools.lru_cache(maxsize=None)
def bench():
    """One `skiff bench density --quick` for all the tests: (status, stdout, stderr)."""
    r = subprocess.run([netutil.SKIFF, "bench", "density", "--quick", "--out", OUT],
                       stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=280)
    return r.returncode, r.stdout, r.stderr


def document():
    status, _, err = bench()
    assert status == 0, err[-2000:]
    with open(os.path.join(OUT, "density.json")) as f:
        return json.load(f)


def _number(value):
    return isinstance(value, (int, float)) and value == value and value >= 0


def test_every_instance_answered_and_every_figure_is_a_number():
    doc = document()
    assert [v["key"] for v in doc["variants"]] == list(VARIANTS)
    for v in doc["variants"]:
        assert not v["unavailable"], (v["key"], v["unavailable"])
        fig, raw = doc["figures"][v["key"]], doc["raw"][v["key"]]
        assert fig["answered"] == fig["started"] == QUICK_N, (v["key"], raw)
        assert fig["answering_after_idle"] == QUICK_N, (v["key"], raw)
        for key in FIGURES:
            assert _number(fig[key]), (v["key"], key, fig[key])
        assert fig["host_mib"] >= fig["pss_mib"] > 0, (v["key"], fig)


def test_tuning_rows_measured():
    doc = document()
    steps = doc["tuning"]
    assert len(steps) >= 2
    for row in steps:
        assert row["answered"] == QUICK_N, row["raw"]
        assert _number(row["host_mib"]) and row["host_mib"] > 0, row
    assert steps[0]["saving_mib"] is None
    for row in steps[1:]:       # a saving may be negative (noise): a number all the same
        assert isinstance(row["saving_mib"], (int, float)), row


def test_table_cells_are_numbers():
    doc = document()
    _, text, _ = bench()
    lines = [line for line in text.splitlines() if line.startswith("| ")]
    header = lines[0]
    for v in doc["variants"]:
        assert v["label"] in header, (v["label"], header)
    body = [line for line in lines[1:] if not line.startswith("| step ")]
    rows = body[:13]
    assert len(rows) == 13, text
    for line in rows:
        cells = [c.strip() for c in line.strip("|").split("|")][1:]
        assert len(cells) == len(VARIANTS), line
        for cell in cells:
            # MemAvailable's drop moves with the rest of the host: it may be negative
            assert re.fullmatch(r"-?[0-9][0-9,]*(\.[0-9]+)?( \([0-9]+\))?", cell), line
    assert "goal: boot rate" in text, text
    assert "TCG" in text or "KVM" in text, text


def test_nothing_left_running():
    doc = document()
    assert all(raw["leftover"] == 0 for raw in doc["raw"].values()), doc["raw"]
    assert all(row["raw"]["leftover"] == 0 for row in doc["tuning"])
    work = os.path.join(OUT, "work")
    mine = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                if work.encode() in f.read():
                    mine.append(pid)
        except OSError:
            pass
    assert not mine, f"processes of the bench still running: {mine}"
    state = os.path.join(work, "runc-state")
    if os.path.isdir(state):
        listed = subprocess.run(["runc", "--root", state, "list", "-q"], capture_output=True,
                                text=True).stdout.split()
        assert not listed, f"containers left: {listed}"


def test_bad_variant_is_one_line_usage_error():
    r = subprocess.run([netutil.SKIFF, "bench", "density", "--variants", "skiff,vmware"],
                       stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60)
    assert r.returncode == 2, r
    assert "unknown variant 'vmware'" in r.stderr, r.stderr


if __name__ == "__main__":
    netutil.run_tests(globals())
