"""The issue's goals, checked against the medians: printed in the tables next to the figures."""

# metric -> [(text, other variant, compare(mine, other) -> (holds, how it stands), mine)]
# `mine` is the variant the goal is about (skiff unless named); the text names it.


def _no_slower(s, o):
    return s <= o, f"{s / o:.2f}×"


def _at_least(s, o):
    return s >= o, f"{s / o:.2f}×"


GOALS = {
    "exit_ms": [
        ("skiff ≤ 1/50 of the Linux VM", "linux_vm",
         lambda s, o: (s * 50 <= o, f"1/{o / s:.0f}"), "skiff"),
        ("skiff no slower than the container", "container", _no_slower, "skiff"),
        ("skiff run (CLI) no slower than the container", "container", _no_slower, "skiff_cli"),
        ("skiff run (CLI) no slower than podman run", "podman", _no_slower, "skiff_cli"),
        ("skiff run (CLI) ≤ 1.15× bare QEMU on the same image", "skiff",
         lambda s, o: (s <= 1.15 * o, f"{s / o:.2f}×"), "skiff_cli"),
    ],
    "image_kb": [
        ("skiff smaller than kernel + initramfs", "linux_vm",
         lambda s, o: (s < o, f"1/{o / s:.0f}"), "skiff"),
    ],
    "peak_rss_mib": [
        ("skiff ≤ 1/4 of the Linux VM", "linux_vm",
         lambda s, o: (s * 4 <= o, f"1/{o / s:.1f}"), "skiff"),
    ],
    "http_rps": [
        ("skiff ≥ 1.7× the Linux VM", "linux_vm",
         lambda s, o: (s >= 1.7 * o, f"{s / o:.2f}×"), "skiff"),
    ],
    "cpu_job_ms": [("skiff's time ≤ the Linux VM's", "linux_vm", _no_slower, "skiff")],
    "stream_job_ms": [("skiff's time ≤ the Linux VM's", "linux_vm", _no_slower, "skiff")],
    "dgemm_job_ms": [("skiff's time ≤ the Linux VM's", "linux_vm", _no_slower, "skiff")],
    "dgemm_gflops": [("skiff ≥ the Linux VM", "linux_vm", _at_least, "skiff")],
}
for _kernel in ("copy", "scale", "add", "triad"):
    GOALS[f"stream_{_kernel}_mbs"] = [("skiff ≥ the Linux VM", "linux_vm", _at_least, "skiff")]


def add(metric, goals):
    """Goals a bench section brings: [(text, other, compare, mine)]."""
    GOALS.setdefault(metric, []).extend(goals)


def check(results, metric):
    """[{"goal", "variant", "against", "holds", "standing"}] for a row; holds None where a
    figure is missing."""
    out = []
    for text, other, compare, who in GOALS.get(metric, []):
        mine, theirs = results.median(metric, who), results.median(metric, other)
        if mine is None or theirs is None or mine <= 0 or theirs <= 0:
            out.append({"goal": text, "variant": who, "against": other, "holds": None,
                        "standing": "no figure"})
            continue
        holds, standing = compare(mine, theirs)
        out.append({"goal": text, "variant": who, "against": other, "holds": holds,
                    "standing": standing})
    return out


def describe(checks):
    """The goal column's text for a row."""
    parts = []
    for c in checks:
        verdict = {True: "met", False: "not met", None: "not measured"}[c["holds"]]
        standing = f": {c['standing']}" if c["holds"] is not None else ""
        parts.append(f"{c['goal']}{standing}, {verdict}")
    return "; ".join(parts)
