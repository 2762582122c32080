"""The bench chart: start → exit time and peak RSS per variant, log scale, drawn by gnuplot (Debian's gnuplot-nox)."""
import os
import shutil
import subprocess

SCRIPT = """\
set terminal {terminal} size 1200,560 font "sans,10"
set output '{output}'
set datafile separator "\\t"
set multiplot layout 1,2 title "{title}"
set style data histograms
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
    if not shutil.which("gnuplot"):
        return None, "gnuplot is not installed (tools/deps.sh bench installs gnuplot-nox)"
    terminal = _terminal()
    if terminal is None:
        return None, "gnuplot has no png or svg terminal"
    rows = []
    for v in results.variants:
        t = results.summary("exit_ms", v)
        m = results.summary("peak_rss_mib", v)
        if "median" in t and "median" in m:
            rows.append("\t".join([labels[v]] + [f"{x:.6g}" for x in (
                t["median"], t["min"], t["max"], m["median"], m["min"], m["max"])]))
    if not rows:
        return None, "no variant has both a time and an RSS figure"
    data = os.path.join(out_dir, "chart.tsv")
    with open(data, "w") as f:
        f.write("\n".join(rows) + "\n")
    output = os.path.join(out_dir, "bench" + terminal[1])
    script = SCRIPT.format(terminal=terminal[0], output=output, data=data,
                           title=title.replace('"', "'"))
    result = subprocess.run(["gnuplot"], input=script, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, timeout=60)
    if result.returncode != 0 or not os.path.exists(output) or os.path.getsize(output) == 0:
        return None, f"gnuplot failed: {result.stdout.strip()[:200]}"
    return output, None
