"""The disk I/O chart: sequential MB/s, random IOPS and fsync latency per variant, log scale, drawn by gnuplot."""
import os

from .chart import HEAD, gnuplot_terminal, plot, write_tsv

# row key, panel title; one panel each, one bar per variant
PANELS = (("seq_write_mbs", "sequential write + fsync, MB/s"),
          ("seq_read_mbs", "sequential read, MB/s"),
          ("rand_read_iops", "random 4 KiB reads, IOPS"),
          ("rand_write_iops", "random 4 KiB writes, IOPS"),
          ("fsync_p50_us", "4 KiB write + fsync, p50 µs (lower is better)"))

SCRIPT_HEAD = HEAD + """\
set style fill solid 0.7 border -1
set boxwidth 0.8
set logscale y
set grid ytics
set xtics rotate by 40 right noenhanced
set bmargin 10
set key off
"""
PANEL = """\
set title "{title}"
plot '{data}' using {col}:xtic(1) linecolor rgb "#3b75af", \
     '' using 0:(${col}*1.4):(sprintf(${col} >= 100 ? "%.0f" : "%.3g", ${col})) with labels
"""


def draw(bench, out_dir, title):
    """disk.png (or .svg) in out_dir from a DiskBench's medians: (path, None) or (None, why)."""
    terminal, why = gnuplot_terminal()
    if why:
        return None, why
    rows = []
    for key, label, _ in bench.variants():
        cells = [bench.cell(key, row) for row, _ in PANELS]
        if all(cells):
            rows.append("\t".join([label] + [f"{c['median']:.6g}" for c in cells]))
    if not rows:
        return None, "no variant has every figure"
    data = write_tsv(os.path.join(out_dir, "disk-chart.tsv"), rows)
    output = os.path.join(out_dir, "disk" + terminal[1])
    script = SCRIPT_HEAD.format(terminal=terminal[0], size="1500,520", font=9, output=output,
                                panels=len(PANELS),
                                title=title.replace('"', "'"))
    script += "".join(PANEL.format(title=t, data=data, col=i + 2)
                      for i, (_, t) in enumerate(PANELS))
    script += "unset multiplot\n"
    return plot(script, output)
