"""The bench's outputs: a Markdown table for stdout, results.json and results.csv for tools."""
import csv
import json

from . import goals as bench_goals


def _number(x, unit):
    if isinstance(x, int):
        return f"{x:,}"
    if unit in ("req/s", "µs", "MB/s") or abs(x) >= 1000:
        return f"{x:,.0f}"
    if abs(x) >= 100:
        return f"{x:.0f}"
    if abs(x) >= 10:
        return f"{x:.1f}"
    return f"{x:.2f}" if abs(x) >= 0.1 or x == 0 else f"{x:.3g}"


def measured_metrics(results):
    """The rows this run filled (a section left out by --only has no cells)."""
    return [row for row in results.metrics
            if any(not c.get("na", "").startswith("unavailable")
                   for c in results.cells[row[0]].values())]


def cell_text(cell, unit):
    if "na" in cell:
        return f"n/a ({cell['na']})" if not cell["na"].startswith("unavailable") else cell["na"]
    if "median" in cell:
        if cell["n"] == 1:
            return _number(cell["median"], unit)
        return (f"{_number(cell['median'], unit)} ({_number(cell['min'], unit)}–"
                f"{_number(cell['max'], unit)})")
    return _number(cell["value"], unit)


def _escape(text):
    return text.replace("|", "\\|")


def markdown(results, labels, meta):
    """The report: a header naming the conditions, the table, then notes."""
    host = meta["host"]
    lines = [
        f"skiff bench: `{meta['command']}`",
        "",
        f"- accelerator: **{host['accel'].upper()}** for every VM ({host['accel_reason']})",
        f"- QEMU {host['qemu']}, `-M microvm`, {meta['mem']} of guest memory for every VM; "
        f"host CPU {host['cpu']} ({host['cpus']} cores), host kernel {host['host_kernel']}",
        f"- {meta['runs']} interleaved runs per variant after one warm-up (start-up: "
        f"{meta['startup_repeats']} a round of each variant that starts in under "
        f"{meta['startup_fast_ms'] / 1000:g} s); "
        "each cell is the median (min–max)",
        "",
        "| metric | " + " | ".join(_escape(labels[v]) for v in results.variants) + " | goal |",
        "|---|" + "---|" * (len(results.variants) + 1),
    ]
    for key, label, unit in measured_metrics(results):
        cells = [cell_text(results.summary(key, v), unit) for v in results.variants]
        goal = bench_goals.describe(bench_goals.check(results, key))
        lines.append(f"| {label} ({unit}) | " + " | ".join(_escape(c) for c in cells)
                     + f" | {_escape(goal)} |")
    lines.append("")
    lines += [f"- {note}" for note in meta["notes"]]
    return "\n".join(lines) + "\n"


def as_json(results, labels, meta):
    rows = []
    for key, label, unit in measured_metrics(results):
        rows.append({
            "metric": key, "label": label, "unit": unit,
            "cells": {v: results.summary(key, v) for v in results.variants},
            "samples": {v: results.cells[key].get(v, {}).get("samples") for v in results.variants
                        if "samples" in results.cells[key].get(v, {})},
            "details": {v: results.cells[key][v]["detail"] for v in results.variants
                        if results.cells[key].get(v, {}).get("detail")},
            "goals": bench_goals.check(results, key),
        })
    return {"meta": meta, "variants": [{"key": v, "label": labels[v]} for v in results.variants],
            "metrics": rows, "failed_runs": results.failures}


def write_json(path, document):
    with open(path, "w") as f:
        json.dump(document, f, indent=1, ensure_ascii=False)
        f.write("\n")


def write_csv(path, results, labels):
    """One line per cell: metric, unit, variant, median, min, max, n, note."""
    with open(path, "w", newline="") as f:
        out = csv.writer(f)
        out.writerow(["metric", "unit", "variant", "label", "median", "min", "max", "n", "note"])
        for key, _, unit in measured_metrics(results):
            for v in results.variants:
                cell = results.summary(key, v)
                if "median" in cell:
                    row = [cell["median"], cell["min"], cell["max"], cell["n"], ""]
                elif "value" in cell:
                    row = [cell["value"], cell["value"], cell["value"], 1, cell.get("detail", "")]
                else:
                    row = ["", "", "", 0, cell["na"]]
                out.writerow([key, unit, v, labels[v], *row])
