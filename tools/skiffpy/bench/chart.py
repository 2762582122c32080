"""The bench chart: start → exit time and peak RSS per variant, log scale, drawn by gnuplot (Debian's gnuplot-nox)."""
import os
import shutil
import subprocess

# The first lines of every bench chart: terminal, size, output, tab-separated data, panels.
HEAD = """\
set terminal {terminal} size {size} font "sans,{font}"
set output '{output}'
set datafile separator "\\t"
set multiplot layout 1,{panels} title "{title}"
set style data histograms
"""

SCRIPT = HEAD + """\
set style histogram errorbars gap 1 lw 1
set style fill solid 0.7 border -1
set boxwidth 0.8
set logscale y
set grid ytics
set xtics rotate by 30 right noenhanced
set bmargin 9
set key off
set ylabel "start → exit, ms (median; bars: min–max)"
set title "time from QEMU/runtime start to exit"
plot '{data}' using 2:3:4:xtic(1) linecolor rgb "#3b75af", \
     '' using 0:($4*1.5):(sprintf($2 >= 100 ? "%.0f" : "%.3g", $2)) with labels
set ylabel "peak RSS, MiB (median; bars: min–max)"
set title "peak RSS of the VMM / runtime process"
plot '{data}' using 5:6:7:xtic(1) linecolor rgb "#ef8636", \
     '' using 0:($7*1.5):(sprintf($5 >= 100 ? "%.0f" : "%.3g", $5)) with labels
unset multiplot
"""


def gnuplot_terminal():
    """(gnuplot's (terminal, file suffix), None), or (None, why no chart can be drawn)."""
    if not shutil.which("gnuplot"):
        return None, "gnuplot is not installed (tools/deps.sh bench installs gnuplot-nox)"
    terminal = _terminal()
    if terminal is None:
        return None, "gnuplot has no png or svg terminal"
    return terminal, None


def write_tsv(path, rows):
    """A chart's data file: rows (tab-separated strings), one a line; returns path."""
    with open(path, "w") as f:
        f.write("\n".join(rows) + "\n")
    return path


def plot(script, output):
    """Run gnuplot on script, which writes output: (output, None) or (None, why not)."""
    result = subprocess.run(["gnuplot"], input=script, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, timeout=60)
    if result.returncode != 0 or not os.path.exists(output) or os.path.getsize(output) == 0:
        return None, f"gnuplot failed: {result.stdout.strip()[:200]}"
    return output, None


def _terminal():
    """pngcairo where gnuplot has it, else libgd png, else SVG; with the file suffix."""
    try:
        listing = subprocess.run(["gnuplot", "-e", "set terminal"], stdin=subprocess.DEVNULL,
                                 stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                 timeout=30).stdout
    except (OSError, subprocess.TimeoutExpired):
        return None
    names = {line.split()[0] for line in listing.splitlines() if line.strip()}
    for name, suffix in (("pngcairo", ".png"), ("png", ".png"), ("svg", ".svg")):
        if name in names:
            return name, suffix
    return None


def draw(results, labels, out_dir, title):
    """Write bench.png (or bench.svg) in out_dir: (its path, None), or (None, why not)."""
    terminal, why = gnuplot_terminal()
    if why:
        return None, why
    rows = []
    for v in results.variants:
        t = results.summary("exit_ms", v)
        m = results.summary("peak_rss_mib", v)
        if "median" in t and "median" in m:
            rows.append("\t".join([labels[v]] + [f"{x:.6g}" for x in (
                t["median"], t["min"], t["max"], m["median"], m["min"], m["max"])]))
    if not rows:
        return None, "no variant has both a time and an RSS figure"
    data = write_tsv(os.path.join(out_dir, "chart.tsv"), rows)
    output = os.path.join(out_dir, "bench" + terminal[1])
    script = SCRIPT.format(terminal=terminal[0], size="1200,560", font=10, panels=2,
                           output=output, data=data, title=title.replace('"', "'"))
    return plot(script, output)


NET_SCRIPT = """\
set terminal {terminal} size 1400,600 font "sans,10"
set output '{output}'
set datafile separator "\\t"
set datafile missing "?"
set multiplot layout 1,2 title "{title}" noenhanced
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set logscale y
set grid ytics
set xtics rotate by 30 right noenhanced
set bmargin 10
set key outside right top vertical noenhanced
set title noenhanced
set ylabel "transactions/s (median)"
set title "request/response: 1-byte request, 1-byte response"
plot for [i=2:{last}] '{rates}' using i:xtic(1) title columnheader(i)
set ylabel "Mbit/s (median)"
set title "TCP_STREAM"
plot for [i=2:{last}] '{streams}' using i:xtic(1) title columnheader(i)
unset multiplot
"""


def draw_net(results, labels, metrics, out_dir, title):
    """netrr.png (or .svg): transactions/s and Mbit/s, one cluster per row and path, one bar
    per variant; (path, None) or (None, why not). metrics: bench_netrr.metrics()."""
    terminal, why = gnuplot_terminal()
    if why:
        return None, why
    head = "\t".join(["row"] + [labels.get(v, v) for v in results.variants])
    files, any_figure = {}, False
    for unit, name in (("trans/s", "netrr-rates.tsv"), ("Mbit/s", "netrr-streams.tsv")):
        lines = [head]
        for key, label, u, *_ in metrics:
            if u != unit:
                continue
            values = [results.median(key, v) for v in results.variants]
            if all(x is None for x in values):
                continue
            any_figure = True
            lines.append("\t".join([label] + [f"{x:.6g}" if x else "?" for x in values]))
        files[unit] = os.path.join(out_dir, name)
        with open(files[unit], "w") as f:
            f.write("\n".join(lines) + "\n")
    if not any_figure:
        return None, "no network figure to draw"
    output = os.path.join(out_dir, "netrr" + terminal[1])
    script = NET_SCRIPT.format(terminal=terminal[0], output=output, rates=files["trans/s"],
                               streams=files["Mbit/s"], last=len(results.variants) + 1,
                               title=title.replace('"', "'"))
    return plot(script, output)
