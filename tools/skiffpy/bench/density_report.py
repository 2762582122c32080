"""The density bench's figures from its fleets: per-instance cost, density, boot rate, goals; as JSON, a Markdown table and a gnuplot chart."""
import os

from .chart import HEAD, gnuplot_terminal, plot, write_tsv

MIB_KIB = 1024
GOAL_INSTANCES, GOAL_RATIO, GOAL_BOOT_RATE = 300, 10, 5

# (key, label, unit) in the table's order
ROWS = (
    ("answered", "instances answering a GET (started)", ""),
    ("host_mib", "host memory per instance: PSS + page tables", "MiB"),
    ("pss_mib", "PSS per instance", "MiB"),
    ("rss_mib", "RSS per instance", "MiB"),
    ("avail_drop_mib", "MemAvailable drop per instance", "MiB"),
    ("per_gib", "instances per GiB of host RAM", "/GiB"),
    ("projected", "projected instances on this host (headroom left)", ""),
    ("idle_cpu_pct", "idle CPU per instance", "% of a core"),
    ("idle_all_pct", "idle CPU of all of them", "% of the host's cores"),
    ("boot_rate", "boot rate while launching in parallel", "/s/core"),
    ("boot_ms", "start → answering, median in a wave", "ms"),
    ("boot_cpu_ms", "CPU time per boot, start → answering", "ms"),
    ("boots_per_cpu_s", "boots one core sustains (1 s / CPU per boot)", "/s/core"),
)


def derive(fig, cores, headroom):
    """The table's figures from one run_fleet result (None where not measured)."""
    n = fig.get("answered") or 0
    out = {key: None for key, _, _ in ROWS}
    out["answered"] = n
    out["started"] = fig.get("started", 0)
    if not n or not fig.get("measured_processes"):
        return out
    host_kib = (fig["pss_kib"] + fig["pte_kib"]) / n
    out["host_mib"] = host_kib / MIB_KIB
    out["pss_mib"] = fig["pss_kib"] / n / MIB_KIB
    out["rss_mib"] = fig["rss_kib"] / n / MIB_KIB
    out["avail_drop_mib"] = (fig["mem_available_before"] - fig["mem_available_after"]) \
        / n / 2**20
    out["per_gib"] = 2**20 / host_kib
    out["projected"] = int((fig["mem_available_before"] - headroom) / 1024 / host_kib)
    out["idle_cpu_pct"] = 100 * fig["idle_cpu_s"] / fig["idle_window_s"] / n
    out["idle_all_pct"] = 100 * fig["idle_cpu_s"] / fig["idle_window_s"] / cores
    out["boot_rate"] = n / fig["launch_s"] / cores if fig["launch_s"] else None
    out["boot_ms"] = fig.get("boot_ms_median")
    out["answering_after_idle"] = fig.get("answering_after_idle")
    out["boot_cpu_ms"] = fig.get("boot_cpu_ms")
    out["boots_per_cpu_s"] = 1000 / fig["boot_cpu_ms"] if fig.get("boot_cpu_ms") else None
    out["loadavg"] = fig.get("loadavg_before")
    return out


def goals(figures):
    """(goal text, met) lines for the skiff column."""
    skiff = figures.get("skiff")
    if not skiff or skiff.get("answered") is None:
        return []
    lines = []
    n, after = skiff["answered"], skiff.get("answering_after_idle")
    lines.append((f"≥ {GOAL_INSTANCES} concurrent skiff httpd instances, all answering: "
                  f"{n} up, {after} answering after the idle window",
                  n >= GOAL_INSTANCES and after == n))
    linux = figures.get("linux_vm") or {}
    if skiff.get("per_gib") and linux.get("per_gib"):
        ratio = skiff["per_gib"] / linux["per_gib"]
        lines.append((f"≥ {GOAL_RATIO}× the Linux VM's density: {ratio:.1f}×",
                      ratio >= GOAL_RATIO))
    if skiff.get("boot_rate"):
        cpu = skiff.get("boots_per_cpu_s")
        lines.append((f"boot rate ≥ {GOAL_BOOT_RATE} instances per core per second: "
                      f"{skiff['boot_rate']:.2f} measured (host load average "
                      f"{skiff['loadavg'][0]:.1f} before the launch)"
                      + (f"; {cpu:.1f} by CPU time per boot" if cpu else ""),
                      skiff["boot_rate"] >= GOAL_BOOT_RATE))
    return lines


def as_json(fleets, tuning_rows, meta):
    cores, headroom = meta["host"]["cpus"], meta["headroom_gib"] * 2**30
    figures = {k: derive(f, cores, headroom) for k, f in fleets.items()
               if not f.get("unavailable")}
    tuning = []
    prev = None
    for row in tuning_rows:
        d = derive(row, cores, headroom)
        saving = prev - d["host_mib"] if prev is not None and d["host_mib"] else None
        tuning.append({"step": row["step"], "qemu": row["qemu"], **d, "saving_mib": saving,
                       "raw": row})
        prev = d["host_mib"]
    return {"meta": meta,
            "variants": [{"key": k, "label": f["label"],
                          "unavailable": f.get("unavailable")} for k, f in fleets.items()],
            "figures": figures, "raw": fleets, "tuning": tuning,
            "goals": [{"goal": g, "met": m} for g, m in goals(figures)]}


def _cell(value, key):
    if value is None:
        return "n/a"
    if isinstance(value, int):
        return f"{value:,}"
    if value >= 100:
        return f"{value:,.0f}"
    return f"{value:.3g}" if key not in ("idle_cpu_pct", "idle_all_pct") else f"{value:.3f}"


def markdown(doc):
    variants = doc["variants"]
    lines = ["| metric | " + " | ".join(v["label"] for v in variants) + " |",
             "|---|" + "---|" * len(variants)]
    for key, label, unit in ROWS:
        cells = []
        for v in variants:
            if v["unavailable"]:
                cells.append(f"n/a ({v['unavailable']})")
                continue
            f = doc["figures"][v["key"]]
            cell = _cell(f[key], key)
            if key == "answered":
                cell += f" ({f['started']})"
            cells.append(cell)
        lines.append(f"| {label}{f' ({unit})' if unit else ''} | " + " | ".join(cells) + " |")
    out = "\n".join(lines) + "\n\n"
    for g in doc["goals"]:
        out += f"- goal: {g['goal']}: {'met' if g['met'] else 'NOT met'}\n"
    host = doc["meta"]["host"]
    out += (f"- accelerator {host['accel'].upper()}; QEMU {host['qemu']}; {host['cpus']} "
            f"cores ({host['cpu']}); host kernel {host['host_kernel']}\n")
    for v in variants:
        raw = doc["raw"][v["key"]]
        if not v["unavailable"]:
            out += f"- {v['label']}: stopped adding: {raw['stop_reason']}; {raw['waves']} " \
                f"wave(s) of up to {doc['meta']['wave']}; left running after: " \
                f"{raw['leftover']}\n"
            for err in raw.get("errors", []):
                out += f"  - {err}\n"
    out += ("- host memory per instance: the sum of each instance's processes' PSS "
            "(/proc/PID/smaps_rollup) plus their page tables (VmPTE), divided by the "
            "instances; MemAvailable's drop is a cross-check that moves with the other work "
            "on the host\n")
    out += (f"- idle CPU: the CPU time of every thread of every instance's processes "
            f"(/proc/PID/task/*/schedstat) over "
            f"{doc['meta']['idle_s']} s after all answered; boot rate: instances answering "
            "/ seconds from each wave's first start to its last answer / host cores\n")
    if doc["tuning"]:
        out += "\nWhat an idle skiff httpd VM costs, one change at a time:\n\n"
        out += ("| step | QEMU | instances | host memory per instance (MiB) | PSS (MiB) | "
                "RSS (MiB) | saving (MiB) | CPU per boot (ms) | boot rate (/s/core) |\n"
                "|---|---|---|---|---|---|---|---|---|\n")
        for t in doc["tuning"]:
            out += (f"| {t['step']} | {t['qemu']} | {t['answered']} ({t['started']}) | "
                    f"{_cell(t['host_mib'], '')} | {_cell(t['pss_mib'], '')} | "
                    f"{_cell(t['rss_mib'], '')} | {_cell(t['saving_mib'], '')} | "
                    f"{_cell(t['boot_cpu_ms'], '')} | {_cell(t['boot_rate'], '')} |\n")
    return out


SCRIPT = HEAD + """\
set style fill solid 0.7 border -1
set boxwidth 0.8
set grid ytics
set xtics rotate by 20 right noenhanced
set bmargin 8
set key off
set logscale y
set ylabel "MiB per idle instance (PSS + page tables)"
set title "host memory per httpd instance"
plot '{data}' using 2:xtic(1) linecolor rgb "#3b75af", \
     '' using 0:($2*1.3):(sprintf("%.3g", $2)) with labels
set ylabel "instances answering per second per core"
set title "boot rate, launching in parallel"
plot '{data}' using 3:xtic(1) linecolor rgb "#ef8636", \
     '' using 0:($3*1.3):(sprintf("%.3g", $3)) with labels
unset multiplot
"""


def chart(doc, out_dir):
    """density.png (or .svg) in out_dir: (path, None) or (None, why not)."""
    terminal, why = gnuplot_terminal()
    if why:
        return None, why
    rows = []
    for v in doc["variants"]:
        f = doc["figures"].get(v["key"])
        if f and f["host_mib"] and f["boot_rate"]:
            short = v["label"].split(" (")[0]
            rows.append(f"{short}\t{f['host_mib']:.6g}\t{f['boot_rate']:.6g}")
    if not rows:
        return None, "no variant has figures"
    data = write_tsv(os.path.join(out_dir, "density.tsv"), rows)
    output = os.path.join(out_dir, "density" + terminal[1])
    host = doc["meta"]["host"]
    script = SCRIPT.format(terminal=terminal[0], size="1200,500", font=10, panels=2,
                           output=output, data=data,
                           title=f"skiff bench density: idle httpd instances, "
                           f"{host['accel'].upper()}, {host['cpus']} cores")
    return plot(script, output)
