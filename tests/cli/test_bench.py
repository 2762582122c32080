"""skiff bench --quick: every row and column present, values plausible (no wall-clock bounds)."""
import csv
import functools
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import cli_support  # noqa: E402
from skiffpy.bench_results import METRICS  # noqa: E402

VARIANTS = ("skiff", "skiff_cli", "linux_vm", "container", "process", "floor")
UNITS = {"first_output_ms": "ms", "exit_ms": "ms", "image_kb": "KB", "min_mem_mib": "MiB",
         "peak_rss_mib": "MiB", "cpu_job_ms": "ms", "cpu_exit_ms": "ms", "http_rps": "req/s",
         "http_p50_ms": "ms", "http_p99_ms": "ms", "tcp_rr_us": "µs"}
# Cells that hold a figure in every run; the rest may be n/a with a reason.
MEASURED = {
    "first_output_ms": VARIANTS, "exit_ms": VARIANTS, "image_kb": VARIANTS,
    "peak_rss_mib": VARIANTS, "min_mem_mib": ("skiff", "linux_vm", "floor"),
    "cpu_job_ms": ("skiff", "linux_vm", "container", "process"),
    "cpu_exit_ms": ("skiff", "linux_vm", "container", "process"),
}
NETWORK = ("http_rps", "http_p50_ms", "http_p99_ms", "tcp_rr_us")
BENCH_TIMEOUT = 280     # the runner gives a test 300 s; --quick takes about one minute here


def _may_be_unavailable(variant, cell):
    """runc and unshare need root: without it the container column may say why it is empty."""
    return (variant == "container" and os.geteuid() != 0
            and cell.get("na", "").startswith("unavailable:"))


@functools.lru_cache(maxsize=None)
def bench():
    """One `skiff bench --quick` for all the tests: (status, stdout, stderr, out dir)."""
    out = os.path.join(cli_support.scratch_dir(), "bench")
    result = cli_support.skiff("bench", "--quick", "--out", out, timeout=BENCH_TIMEOUT)
    return result.returncode, result.stdout.decode(), result.stderr.decode(), out


def document():
    status, _, err, out = bench()
    assert status == 0, err[-2000:]
    with open(os.path.join(out, "results.json")) as f:
        return json.load(f)


def _rows(doc):
    return {row["metric"]: row for row in doc["metrics"]}


def test_bench_quick_exits_0_with_progress():
    status, _, err, _ = bench()
    assert status == 0, err[-2000:]
    assert "bench: " in err, "no progress lines on stderr"


def test_markdown_table_has_every_row_and_column():
    doc = document()
    _, text, _, _ = bench()
    lines = [line for line in text.splitlines() if line.startswith("|")]
    header = lines[0]
    for variant in doc["variants"]:
        assert variant["label"] in header, (variant["label"], header)
    assert header.rstrip().endswith("| goal |"), header
    width = header.count("|")
    for _, label, unit in METRICS:
        row = [line for line in lines if line.startswith(f"| {label} ({unit}) |")]
        assert len(row) == 1, f"no table row for {label} ({unit})"
        assert row[0].count("|") - row[0].count("\\|") == width, row[0]
    assert "TCG" in text or "KVM" in text, "the report does not name the accelerator"
    assert "QEMU" in text and "host kernel" in text


def test_json_has_every_cell_with_units():
    doc = document()
    assert [v["key"] for v in doc["variants"]] == list(VARIANTS)
    rows = _rows(doc)
    assert set(rows) == set(UNITS), sorted(rows)
    for metric, unit in UNITS.items():
        assert rows[metric]["unit"] == unit, (metric, rows[metric]["unit"])
        for variant in VARIANTS:
            cell = rows[metric]["cells"][variant]
            assert "median" in cell or "value" in cell or "na" in cell, (metric, variant, cell)
            if "na" in cell:
                assert cell["na"].strip(), (metric, variant)
    host = doc["meta"]["host"]
    assert host["accel"] in ("tcg", "kvm") and host["qemu"] and host["host_kernel"]


def test_measured_cells_are_positive():
    rows = _rows(document())
    for metric, variants in MEASURED.items():
        for variant in variants:
            cell = rows[metric]["cells"][variant]
            if _may_be_unavailable(variant, cell):
                continue
            assert "na" not in cell, f"{metric}/{variant}: {cell.get('na')}"
            if "median" in cell:
                assert 0 < cell["min"] <= cell["median"] <= cell["max"], (metric, variant, cell)
                assert cell["n"] >= 1
            else:
                assert cell["value"] > 0, (metric, variant, cell)


def test_figures_are_plausible():
    rows = _rows(document())
    cell = lambda metric, v: rows[metric]["cells"][v]  # noqa: E731
    present = [v for v in VARIANTS if not _may_be_unavailable(v, cell("exit_ms", v))]
    for variant in present:
        # measured in separate runs: for sub-millisecond variants allow timer noise
        first, done = cell("first_output_ms", variant), cell("exit_ms", variant)
        assert first["min"] <= done["max"] + 1.0, (variant, first, done)
    # the unikernel is smaller than kernel + initramfs, and than the static binary's rootfs
    assert cell("image_kb", "skiff")["value"] < cell("image_kb", "linux_vm")["value"]
    assert cell("image_kb", "floor")["value"] < cell("image_kb", "skiff")["value"]
    # memory searches give whole MiB, skiff's no more than the Linux VM's
    for variant in ("skiff", "linux_vm", "floor"):
        assert isinstance(cell("min_mem_mib", variant)["value"], int)
    assert cell("min_mem_mib", "skiff")["value"] <= cell("min_mem_mib", "linux_vm")["value"]
    # RSS in MiB: a VMM is more than a static process and less than 64 GiB
    for variant in present:
        assert 0 < cell("peak_rss_mib", variant)["median"] < 64 * 1024
    assert cell("peak_rss_mib", "process")["median"] < cell("peak_rss_mib", "skiff")["median"]


def test_network_rows_are_figures_or_say_why():
    rows = _rows(document())
    for metric in NETWORK:
        for variant in VARIANTS:
            cell = rows[metric]["cells"][variant]
            if "na" in cell:
                assert cell["na"], (metric, variant)
            else:
                assert cell.get("median", cell.get("value")) > 0, (metric, variant, cell)


def test_goals_are_reported():
    rows = _rows(document())
    goals = [g for row in rows.values() for g in row["goals"]]
    assert {g["against"] for g in goals} >= {"linux_vm", "container"}
    assert all(g["holds"] in (True, False, None) and g["standing"] for g in goals), goals
    image_goal = rows["image_kb"]["goals"][0]
    assert image_goal["holds"] is True, image_goal


def test_csv_matches_json():
    _, _, _, out = bench()
    with open(os.path.join(out, "results.csv"), newline="") as f:
        lines = list(csv.DictReader(f))
    assert len(lines) == len(UNITS) * len(VARIANTS)
    for line in lines:
        assert line["unit"] == UNITS[line["metric"]], line
        assert line["median"] or line["note"], line


def test_chart_is_written():
    doc = document()
    _, _, _, out = bench()
    charts = [os.path.join(out, name) for name in ("bench.png", "bench.svg")]
    found = [path for path in charts if os.path.exists(path)]
    assert found, f"no chart in {out}: {doc['meta'].get('notes')}"
    assert os.path.getsize(found[0]) > 0
    with open(found[0], "rb") as f:
        head = f.read(8)
    assert head.startswith(b"\x89PNG") or head.startswith(b"<"), head
