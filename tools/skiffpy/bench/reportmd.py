"""build/bench/report.md: the machine once, the method, then one part per section: table, goal, chart, published anchors."""
import os

from . import goals as bench_goals
from .chart import HEAD, gnuplot_terminal, plot
from .report import _escape, cell_text

CHART = HEAD + """\
set style histogram errorbars gap 1 lw 1
set style fill solid 0.7 border -1
set boxwidth 0.8
set grid ytics
set yrange [0:*]
set xtics rotate by 30 right noenhanced
set bmargin 9
set key off
{plots}
unset multiplot
"""
PANEL = """\
{scale}
set ylabel "{unit} (median; bars: min–max)"
set title "{label}" noenhanced
plot '{data}' using 2:3:4:xtic(1) linecolor rgb "{colour}", \\
     '' using 0:($4*{lift}):(sprintf($2 >= 100 ? "%.0f" : "%.3g", $2)) with labels
"""
COLOURS = ("#3b75af", "#ef8636", "#519e3e", "#c53a32", "#8d69b8")


def draw(section, results, labels, path):
    """One PNG (or SVG) for the section at path (its suffix may change to .svg), a panel
    per row with figures: (the file, None) or (None, why not)."""
    terminal, why = gnuplot_terminal()
    if why:
        return None, why
    os.makedirs(os.path.dirname(path), exist_ok=True)
    base, _ = os.path.splitext(path)
    panels = []
    for i, (key, label, unit) in enumerate(section.metrics):
        rows = []
        for v in results.variants:
            cell = results.summary(key, v)
            lo = cell.get("min", cell.get("value"))
            mid = cell.get("median", cell.get("value"))
            hi = cell.get("max", cell.get("value"))
            if mid is not None and mid > 0:
                rows.append("\t".join([labels[v], f"{mid:.6g}", f"{lo:.6g}", f"{hi:.6g}"]))
        if not rows:
            continue
        data = f"{base}-{key}.tsv"
        with open(data, "w") as f:
            f.write("\n".join(rows) + "\n")
        values = [float(r.split("\t")[1]) for r in rows]
        wide = max(values) / min(values) > 50
        panels.append(PANEL.format(
            scale="set logscale y\nset yrange [*:*]" if wide else "unset logscale y\nset yrange [0:*]",
            unit=unit, label=label, data=data, colour=COLOURS[i % len(COLOURS)],
            lift=1.5 if wide else 1.08))
    if not panels:
        return None, "no figures to draw"
    output = base + terminal[1]
    script = CHART.format(terminal=terminal[0], output=output, font=10,
                          size=f"{min(430 * len(panels), 1800)},460",
                          panels=len(panels), title=section.title, plots="".join(panels))
    return plot(script, output)


def chart_path(out_dir, section):
    return os.path.join(out_dir, "charts", f"{section.key}.png")


def _table(section, results, labels):
    lines = ["| metric | " + " | ".join(_escape(labels[v]) for v in results.variants)
             + " | goal |", "|---|" + "---|" * (len(results.variants) + 1)]
    for key, label, unit in section.metrics:
        cells = [cell_text(results.summary(key, v), unit) for v in results.variants]
        goal = bench_goals.describe(bench_goals.check(results, key)) or "—"
        lines.append(f"| {label} ({unit}) | " + " | ".join(_escape(c) for c in cells)
                     + f" | {_escape(goal)} |")
    return lines


def write(path, sections, ran, results, labels, meta, charts):
    """sections: every known section (report order); ran: the keys measured this time;
    charts: section key -> the chart's path relative to report.md, or why there is none."""
    host = meta["host"]
    lines = [
        f"# skiff bench: {meta['app']}",
        "",
        f"Command: `{meta['command']}`",
        "",
        f"Machine: {host['cpu']} ({host['cpus']} cores), host kernel {host['host_kernel']}, "
        f"QEMU {host['qemu']}. **Accelerator: {host['accel'].upper()}** for every VM "
        f"({host['accel_reason']}); every column names its own.",
        "",
        f"Method: each variant runs the same C sources (a skiff image; a static Linux binary "
        f"shared by the process, the container and the Linux VM's /init). The VMs share QEMU "
        f"`-M microvm`, the accelerator, the CPU model, one vCPU and {meta['mem']} of memory "
        f"(skiff's and the floor's microvm without ACPI tables, which a skiff guest does not "
        f"read; the Linux VM's with them, which its kernel needs to boot). "
        f"Every measurement starts with one warm-up run, then {meta['runs']} rounds in which "
        f"the variants take turns (ABCD ABCD...), so drift and noise from other load hit them "
        f"alike; a cell is the median (min–max) of the rounds. Programs check their own "
        f"results: a wrong answer leaves the run out and says so below. Published figures "
        f"(\"anchors\") are other systems on other hardware, quoted beside a table and never "
        f"used in a ratio."
        + (" Quick mode: fewer rounds and smaller jobs, for CI." if meta["quick"] else ""),
        "",
    ]
    for section in sections:
        lines.append(f"## {section.title}")
        lines.append("")
        if not section.landed:
            lines += [f"Not yet measured: the feature is being built ({section.pending}); "
                      f"its module registers this section when it lands "
                      f"(tools/skiffpy/bench/sections.py).", ""]
            continue
        if section.key not in ran:
            lines += ["Not measured in this run (left out by --only).", ""]
            continue
        if section.metrics:
            lines += _table(section, results, labels)
            lines.append("")
        if section.extra:
            lines += section.extra + [""]
        if section.method:
            lines += [f"How: {section.method}.", ""]
        chart = charts.get(section.key)
        if chart and chart.endswith((".png", ".svg")):
            lines += [f"![{section.title}]({chart})", ""]
        elif chart:
            lines += [f"No chart: {chart}.", ""]
        if section.anchors:
            lines.append("Published anchors (not measured here):")
            lines += [f"- {a}" for a in section.anchors]
            lines.append("")
    lines.append("## Notes")
    lines.append("")
    lines += [f"- {note}" for note in meta["notes"]]
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
