"""The bench's network rows (skiffpy.bench.netrr --quick, skiff and the process): every cell a figure with its unit or a reason; netcli's bad input."""
import functools
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import cli_support  # noqa: E402
from skiffpy.bench import netns as bench_netns  # noqa: E402
from skiffpy.bench.netrr import metrics  # noqa: E402

TIMEOUT = 280
UNITS = {"tcp_rr": "trans/s", "udp_rr": "trans/s", "tcp_crr": "trans/s",
         "tcp_recv": "Mbit/s", "tcp_send": "Mbit/s"}


@functools.lru_cache(maxsize=None)
def run():
    """One quick run for all the tests: (status, stdout, stderr, out dir)."""
    out = os.path.join(cli_support.scratch_dir(), "netrr")
    env = cli_support.skiff_env(PYTHONPATH=os.path.join(cli_support.ROOT, "tools"))
    result = subprocess.run([sys.executable, "-m", "skiffpy.bench.netrr", "--quick",
                             "--variants", "skiff,process", "--out", out], env=env,
                            stdin=subprocess.DEVNULL, capture_output=True, text=True,
                            timeout=TIMEOUT)
    return result.returncode, result.stdout, result.stderr, out


def document():
    status, _, err, out = run()
    assert status == 0, err[-2000:]
    with open(os.path.join(out, "netrr.json")) as f:
        return json.load(f)


def test_every_cell_is_a_number_with_its_unit_or_says_why():
    doc = document()
    rows = {row["metric"]: row for row in doc["rows"]}
    assert set(rows) == {m[0] for m in metrics()}
    tap_missing = bench_netns.missing()
    for key, row in rows.items():
        assert row["unit"] == UNITS[row["mode"]], row
        for variant in ("skiff", "process"):
            cell = row["cells"][variant]
            if (row["path"] == "net" and variant == "process") or \
                    (row["path"] == "tap" and tap_missing):
                assert cell.get("na"), (key, variant, cell)
                continue
            assert "median" in cell, (key, variant, cell, doc["failed_runs"])
            assert isinstance(cell["median"], (int, float)) and cell["median"] > 0, cell
            assert row["samples"][variant], (key, variant)


def test_table_rows_carry_units_and_goals():
    status, text, err, _ = run()
    assert status == 0, err[-2000:]
    table = [line for line in text.splitlines() if line.startswith("| ") and "row" not in line]
    assert len(table) == len(metrics()), text
    for line, (_, label, unit, *_rest) in zip(table, metrics()):
        assert line.startswith(f"| {label} ({unit}) |"), line
        assert "skiff ≥" in line, line
    assert "netrr.json" in text


def test_the_measured_cells_are_measured_not_copied():
    """The streams move bytes at a rate and the transactions at another: a table filled
    with one number would pass the first test and fail here."""
    doc = document()
    cells = {row["metric"]: row["cells"]["skiff"].get("median") for row in doc["rows"]}
    figures = [x for x in cells.values() if x is not None]
    assert len(set(figures)) == len(figures), cells


def test_netcli_bad_input_and_refused_connection():
    cli = os.path.join(run()[3], "work", "netcli.linux")
    r = subprocess.run([cli, "tcp_rr"], capture_output=True, text=True, timeout=30)
    assert r.returncode == 2 and r.stderr.startswith("usage: netcli"), r
    r = subprocess.run([cli, "nosuch", "127.0.0.1", "7", "1"], capture_output=True, text=True,
                       timeout=30)
    assert r.returncode == 2 and "unknown mode nosuch" in r.stderr, r
    r = subprocess.run([cli, "tcp_rr", "not-an-ip", "7", "1"], capture_output=True, text=True,
                       timeout=30)
    assert r.returncode == 2 and "bad HOST" in r.stderr, r
    with __import__("socket").socket() as s:      # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        r = subprocess.run([cli, "tcp_crr", "127.0.0.1", str(port), "1"], capture_output=True,
                           text=True, timeout=30)
    assert r.returncode == 1 and "netcli: connect: Connection refused" in r.stderr, r


def test_bad_variant_is_refused():
    env = cli_support.skiff_env(PYTHONPATH=os.path.join(cli_support.ROOT, "tools"))
    r = subprocess.run([sys.executable, "-m", "skiffpy.bench.netrr", "--variants", "nosuch"],
                       env=env, capture_output=True, text=True, timeout=60)
    assert r.returncode == 2 and "unknown variant or path" in r.stderr, r
