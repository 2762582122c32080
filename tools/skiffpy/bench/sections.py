"""The report's sections and how a bench module plugs one in: register(Section(...)).

A section is one metric of the comparison (start-up, memory throughput, disk I/O...): a
heading, the rows it fills, a runner, a chart, the goals and published anchors beside it.
`skiff bench` runs the sections in ORDER (or those --only names), then writes
build/bench/report.md with one part per section: a table (median and min–max per variant,
the goal and whether it is met), a chart, the anchors.

How a module adds its section (say tools/skiffpy/bench/disk.py, for the key "disk"):

    from .sections import Section, register

    def run(session):
        # session.live() are the variants that can run (skiff, Linux VM, container...);
        # session.progress("disk: run 1/3: skiff (microvm)") prints a progress line;
        # session.results.sample(metric, variant.key, x) adds a figure (median of samples),
        # .value(metric, key, x, detail) a single one, .na(metric, key, why) says why none;
        # session.runs and session.quick give the round count and the quick mode;
        # session.job_program(name, sources, args) builds a C program for every variant.
        ...

    register(Section(
        key="disk", title="Disk I/O",
        metrics=[("disk_seq_read_mbs", "sequential read, 1 MiB blocks", "MB/s")],
        run=run,
        goals={"disk_seq_read_mbs": [("skiff ≥ the Linux VM", "linux_vm",
                                      lambda s, o: (s >= o, f"{s / o:.2f}×"), "skiff")]},
        method="fio-like sequential read of a 64 MiB virtio-blk disk, page cache dropped",
    ))

The module's name goes in PENDING (below) until it lands; skiff bench imports every module
named there, and a section whose module is not there yet still appears in the report, as
"not yet measured" with the branch that is building it. Chart: by default one bar chart
per section, each of its rows a panel (median with min–max bars, one bar per variant);
chart=None leaves it out, or give a function (results, labels, path) -> why not | None."""
import importlib

# key -> (module in skiffpy, where the feature is being built)
PENDING = {
    "disk": ("disk", "branch volbench: volumes"),
    "transactions": ("netrr", "branch netbench: networks"),
    "density": ("density", "branch density: fleets"),
}
# The report's order: the metrics of the VM-vs-container-vs-unikernel comparison.
ORDER = ("startup", "image", "footprint", "memory", "disk", "cpu", "flops", "latency",
         "transactions", "density")

SECTIONS = {}


class Section:
    """key: what --only names; title: the heading; metrics: [(metric key, row label, unit)];
    run(session): fills session.results (None: the feature has not landed, `pending` says
    where it is being built); goals: {metric: [(text, other variant, compare, mine)]}
    (bench_goals' form); anchors: published figures cited beside the table, never mixed
    into the measured ratios; method: a sentence on how the rows are measured; chart:
    "bars" (default), None, or a function (results, labels, path) -> why not | None. A
    section whose columns are not the session's variants (disk I/O: seven transports) has no
    metrics and puts its own table in `extra` during run."""

    def __init__(self, key, title, metrics, run, goals=None, anchors=(), method="",
                 chart="bars", pending=None):
        self.key, self.title, self.metrics, self.run = key, title, list(metrics), run
        self.goals = goals or {}
        self.anchors, self.method, self.chart = list(anchors), method, chart
        self.pending = pending
        self.extra = []   # Markdown lines the run adds after the table (its own table, a note)

    @property
    def landed(self):
        return self.run is not None


def register(section):
    """Add (or replace) a section; its goals join bench_goals."""
    from . import goals as bench_goals
    SECTIONS[section.key] = section
    for metric, goals in section.goals.items():
        bench_goals.add(metric, goals)


def load():
    """The built-in sections, every PENDING module that exists, a placeholder for the rest.
    Returns the sections in ORDER (then any others in registration order)."""
    from . import scorecard as bench_scorecard
    bench_scorecard.register_builtin()
    for key, (module, where) in PENDING.items():
        try:
            importlib.import_module(f".{module}", __package__)
        except ModuleNotFoundError as err:
            if err.name != f"{__package__}.{module}":
                raise
        if key not in SECTIONS:
            title = {"disk": "Disk I/O", "transactions": "Network transactions (TCP/UDP)",
                     "density": "Density (instances per host)"}[key]
            SECTIONS[key] = Section(key, title, [], None, pending=where)
    ordered = [SECTIONS[k] for k in ORDER if k in SECTIONS]
    return ordered + [s for k, s in SECTIONS.items() if k not in ORDER]


def select(sections, only):
    """--only KEY[,KEY]: the sections named, in report order; ValueError names a bad key."""
    if not only:
        return sections
    wanted = [k.strip() for k in only.split(",") if k.strip()]
    known = {s.key for s in sections}
    bad = [k for k in wanted if k not in known]
    if bad or not wanted:
        raise ValueError(f"unknown metric {', '.join(bad) or repr(only)} (one of: "
                         f"{', '.join(s.key for s in sections)})")
    return [s for s in sections if s.key in wanted]
