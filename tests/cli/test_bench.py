"""skiff bench --quick: every row and column present, values plausible (no wall-clock bounds); report.md's sections, charts, --only."""
import csv
import functools
import json
import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import cli_support  # noqa: E402
from skiffpy.bench import sections as bench_sections  # noqa: E402
from skiffpy.bench.results import METRICS  # noqa: E402

VARIANTS = ("skiff", "skiff_cli", "linux_vm", "container", "podman", "process", "floor")
UNITS = {"first_output_ms": "ms", "exit_ms": "ms", "image_kb": "KB", "min_mem_mib": "MiB",
         "peak_rss_mib": "MiB", "cpu_job_ms": "ms", "cpu_exit_ms": "ms",
         "lua_job_ms": "ms", "lua_exit_ms": "ms", "http_rps": "req/s",
         "http_p50_ms": "ms", "http_p99_ms": "ms", "tcp_rr_us": "µs",
         "stream_copy_mbs": "MB/s", "stream_scale_mbs": "MB/s", "stream_add_mbs": "MB/s",
         "stream_triad_mbs": "MB/s", "stream_job_ms": "ms", "dgemm_gflops": "GFLOP/s",
         "dgemm_job_ms": "ms"}
# Rows the landed bench modules' sections add (network transactions, disk I/O, density):
# each with its unit, as `skiff bench` loads them.
LOADED_SECTIONS = bench_sections.load()
UNITS.update({key: unit for section in LOADED_SECTIONS if section.landed
              for key, _, unit in section.metrics if key not in UNITS})
JOB_VARIANTS = ("skiff", "linux_vm", "container", "process")
# Cells that hold a figure in every run; the rest may be n/a with a reason.
MEASURED = {
    "first_output_ms": VARIANTS, "exit_ms": VARIANTS, "image_kb": VARIANTS,
    "peak_rss_mib": VARIANTS, "min_mem_mib": ("skiff", "linux_vm", "floor"),
    "cpu_job_ms": ("skiff", "linux_vm", "container", "process"),
    "cpu_exit_ms": ("skiff", "linux_vm", "container", "process"),
    "lua_job_ms": JOB_VARIANTS, "lua_exit_ms": JOB_VARIANTS,
    **{metric: JOB_VARIANTS for metric in ("stream_copy_mbs", "stream_scale_mbs",
                                           "stream_add_mbs", "stream_triad_mbs", "stream_job_ms",
                                           "dgemm_gflops", "dgemm_job_ms")},
}
# report.md: a figure with its unit is "1,234", "0.0771 (0.0765–0.0775)"...; the unit is the
# row's "(unit)" and every cell of a measured row is a figure or says why it is not.
FIGURE = re.compile(r"^[0-9][0-9,]*(\.[0-9]+)?( \([0-9][0-9,.]*–[0-9][0-9,.]*\))?$")
NOT_A_FIGURE = re.compile(r"^(n/a \(.+\)|unavailable: .+)$")
NETWORK = ("http_rps", "http_p50_ms", "http_p99_ms", "tcp_rr_us")
# --quick takes about one minute on a quiet machine and over five under a loaded make test:
# the limits guard against a hang, they are not a figure.
BENCH_TIMEOUT = 580
TEST_TIMEOUT = 600      # the runner's limit per test in this file (tests/run.py: CLI_TIMEOUT)


def _may_be_unavailable(variant, cell):
    """runc and unshare need root: without it the container column may say why it is empty."""
    if variant == "podman" and shutil.which("podman") is None:
        return cell.get("na", "").startswith("unavailable:")
    return (variant in ("container", "podman") and os.geteuid() != 0
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
    assert len(lines) == len(UNITS) * len(VARIANTS), len(lines)
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


def _report():
    _, _, _, out = bench()
    with open(os.path.join(out, "report.md")) as f:
        return f.read()


def _report_sections(text):
    """report.md's parts: {heading: body}."""
    parts = re.split(r"(?m)^## ", text)[1:]
    return {p.split("\n", 1)[0].strip(): p.split("\n", 1)[1] for p in parts}


def test_report_has_every_section_with_table_or_reason():
    text = _report()
    assert "Accelerator: TCG" in text or "Accelerator: KVM" in text, text[:600]
    assert "Method:" in text and "warm-up" in text
    sections = _report_sections(text)
    for title in ("Start-up", "Image size", "Memory footprint", "Memory throughput", "Disk I/O",
                  "CPU", "Floating point (FLOPs)", "Network latency and HTTP",
                  "Network transactions (TCP/UDP)", "Density (instances per host)"):
        assert title in sections, (title, list(sections))
    for key in ("disk", "transactions", "density"):
        section = bench_sections.SECTIONS.get(key)
        if section is None or not section.landed:
            title = {"disk": "Disk I/O", "transactions": "Network transactions (TCP/UDP)",
                     "density": "Density (instances per host)"}[key]
            assert sections[title].startswith("\nNot yet measured"), sections[title][:200]


def test_report_cells_are_figures_with_units():
    """Every row of every table: `label (unit)`, then a figure or a reason in each cell."""
    text = _report()
    doc = document()
    labels = [v["label"] for v in doc["variants"]]
    tables = 0
    for title, body in _report_sections(text).items():
        rows = [line for line in body.splitlines() if line.startswith("| ")]
        if not rows:
            continue
        tables += 1
        header = [c.strip() for c in rows[0].strip("|").split(" | ")]
        assert header[1:-1] == labels, (title, header)
        for label in labels:     # every column names what runs it
            assert "TCG" in label or "KVM" in label or "no VM" in label, label
        figures = 0
        for row in rows[1:]:
            cells = [c.strip() for c in row.strip().strip("|").split(" | ")]
            assert len(cells) == len(header), (title, row)
            assert re.search(r"\([^()]+\)$", cells[0]), f"no unit in {cells[0]!r}"
            for cell in cells[1:-1]:
                assert FIGURE.match(cell) or NOT_A_FIGURE.match(cell), (title, cells[0], cell)
                figures += bool(FIGURE.match(cell))
        assert figures, f"{title}: no figure at all"
    assert tables >= 7, tables


def test_report_charts_exist():
    _, _, _, out = bench()
    text = _report()
    charts = re.findall(r"!\[[^]]*\]\(([^)]+)\)", text)
    assert len(charts) >= 7, charts
    for chart in charts:
        path = os.path.join(out, chart)
        assert os.path.exists(path) and os.path.getsize(path) > 0, path
        with open(path, "rb") as f:
            head = f.read(8)
        assert head.startswith(b"\x89PNG") or head.startswith(b"<"), (chart, head)


def test_report_cites_anchors_apart_from_ratios():
    sections = _report_sections(_report())
    startup = sections["Start-up"]
    assert "Published anchors (not measured here):" in startup
    table_end = startup.index("Published anchors")
    assert "Unikraft" not in startup[:table_end], "an anchor inside the measured table"
    goals = [g for row in document()["metrics"] for g in row["goals"]]
    assert all(g["against"] in VARIANTS for g in goals), goals


def test_memory_and_flops_rows_checked_and_goals_stated():
    rows = _rows(document())
    for metric in ("stream_triad_mbs", "dgemm_gflops", "cpu_job_ms", "lua_job_ms"):
        goal = rows[metric]["goals"]
        assert goal and goal[0]["against"] == "linux_vm", (metric, goal)
        assert goal[0]["holds"] in (True, False), (metric, goal)
    # the programs check their own results: every run of every job variant was kept
    for variant, reasons in document()["failed_runs"].items():
        assert not any(r.startswith(("stream", "dgemm", "lua")) for r in reasons), \
            (variant, reasons)


def test_only_runs_the_sections_named():
    out = os.path.join(cli_support.scratch_dir(), "bench-only")
    # density: a section that only reads the last fleet run (the disk section alone boots
    # seven variants, too slow for this test's budget under a loaded `make test`)
    result = cli_support.skiff("bench", "--quick", "--only", "image,density", "--out", out,
                               timeout=BENCH_TIMEOUT)
    err = result.stderr.decode()
    assert result.returncode == 0, err[-2000:]
    assert "section 1/2: Image size" in err and "section 2/2: Density" in err, err[-2000:]
    with open(os.path.join(out, "results.json")) as f:
        rows = {row["metric"] for row in json.load(f)["metrics"]}
    assert rows == {"image_kb"}, rows
    with open(os.path.join(out, "report.md")) as f:
        sections = _report_sections(f.read())
    assert "left out by --only" in sections["Start-up"]
    assert "| image size (KB) |" in sections["Image size"]
    density = sections["Density (instances per host)"].strip()
    assert density.startswith(("Not measured by this command", "From `")), density[:300]


def test_only_rejects_an_unknown_metric():
    result = cli_support.skiff("bench", "--quick", "--only", "startup,bogus", timeout=60)
    err = result.stderr.decode()
    assert result.returncode == 2, (result.returncode, err)
    assert "bogus" in err and "startup" in err and len(err.strip().splitlines()) == 1, err


SUITES = ("boot", "net", "ports", "redis", "soak", "smp", "clock", "console", "density",
          "virt", "netrr")


def test_help_lists_the_suites():
    result = cli_support.skiff("bench", "--help", timeout=60)
    text = result.stdout.decode()
    assert result.returncode == 0, result.stderr.decode()
    listed = text.split("suites (skiff bench SUITE", 1)[-1]
    names = [line.split()[0] for line in listed.splitlines()[1:] if line.startswith("  ")]
    for suite in SUITES:
        assert suite in names, (suite, names)


def test_every_suite_answers_help():
    from skiffpy.bench import suites
    for suite in suites.find():
        result = cli_support.skiff("bench", suite, "--help", timeout=60)
        assert result.returncode == 0, (suite, result.stderr.decode()[-1000:])
        assert result.stdout.decode().startswith("usage: "), (suite, result.stdout[:200])


def test_a_suites_usage_error_is_its_own():
    result = cli_support.skiff("bench", "net", "--bogus", timeout=60)
    err = result.stderr.decode()
    assert result.returncode == 2, (result.returncode, err)
    assert "--bogus" in err and "Traceback" not in err, err


def test_unknown_suite_exits_2_with_one_line():
    result = cli_support.skiff("bench", "nosuchsuite", timeout=60)
    err = result.stderr.decode()
    assert result.returncode == 2, (result.returncode, err)
    assert len(err.strip().splitlines()) == 1, err
    assert "nosuchsuite" in err and "boot" in err and "redis" in err, err
    assert result.stdout == b"", result.stdout


def test_memory_and_flop_programs_fail_on_a_wrong_answer():
    """apps/bench/stream.c and dgemm.c check their results: with `--wrong` (one element
    changed after the timed part) each reports the check failed and exits 1, natively and
    as a skiff image — what makes the bench leave the run out ("a wrong answer fails the
    row, not just the figure")."""
    scratch = cli_support.scratch_dir()
    for name, args in (("stream", ["2", "1"]), ("dgemm", ["48", "1"])):
        source = os.path.join(cli_support.ROOT, "apps", "bench", f"{name}.c")
        native = os.path.join(scratch, f"{name}-native")
        subprocess.run(["gcc", "-O2", "-o", native, source, "-lm"], check=True, timeout=120)
        good = subprocess.run([native, *args], stdout=subprocess.PIPE, timeout=60)
        assert good.returncode == 0 and b"check=ok" in good.stdout, good
        bad = subprocess.run([native, *args, "--wrong"], stdout=subprocess.PIPE, timeout=60)
        assert bad.returncode == 1 and b"check FAILED" in bad.stdout, bad
        image = os.path.join(scratch, f"{name}.elf")
        built = cli_support.skiff("build", "-q", source, "-o", image, timeout=600)
        assert built.returncode == 0, built.stderr[-2000:]
        run = cli_support.skiff("run", "--mem", "32M", image, "--", *args, "--wrong",
                                timeout=120)
        assert run.returncode == 1 and b"check FAILED" in run.stdout, run
