"""The issue's goals for skiff, checked against the medians: printed in the table next to the figures."""

# metric -> [(text, compare(skiff, other) -> (holds, how it stands)), other variant]
GOALS = {
    "exit_ms": [
        ("≤ 1/50 of the Linux VM", "linux_vm", lambda s, o: (s * 50 <= o, f"1/{o / s:.0f}")),
        ("no slower than the container", "container",
         lambda s, o: (s <= o, f"{s / o:.2f}×")),
    ],
    "image_kb": [
        ("smaller than kernel + initramfs", "linux_vm",
         lambda s, o: (s < o, f"1/{o / s:.0f}")),
    ],
    "peak_rss_mib": [
        ("≤ 1/4 of the Linux VM", "linux_vm", lambda s, o: (s * 4 <= o, f"1/{o / s:.1f}")),
    ],
    "http_rps": [
        ("≥ 1.7× the Linux VM", "linux_vm", lambda s, o: (s >= 1.7 * o, f"{s / o:.2f}×")),
    ],
}


def check(results, metric):
    """[{"goal", "against", "holds", "standing"}] for a row; holds None where a figure is missing."""
    out = []
    for text, other, compare in GOALS.get(metric, []):
        mine, theirs = results.median(metric, "skiff"), results.median(metric, other)
        if mine is None or theirs is None or mine <= 0 or theirs <= 0:
            out.append({"goal": text, "against": other, "holds": None, "standing": "no figure"})
            continue
        holds, standing = compare(mine, theirs)
        out.append({"goal": text, "against": other, "holds": holds, "standing": standing})
    return out


def describe(checks):
    """The goal column's text for a row."""
    parts = []
    for c in checks:
        verdict = {True: "met", False: "not met", None: "not measured"}[c["holds"]]
        standing = f": {c['standing']}" if c["holds"] is not None else ""
        parts.append(f"skiff {c['goal']}{standing}, {verdict}")
    return "; ".join(parts)
