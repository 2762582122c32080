"""The bench's results: metrics (rows) × variants (columns), each cell samples, one value, or why there is none."""
from .stats import median_range

# key, row label, unit. The order is the table's.
METRICS = (
    ("first_output_ms", "start → first output", "ms"),
    ("exit_ms", "start → exit", "ms"),
    ("image_kb", "image size", "KB"),
    ("min_mem_mib", "smallest memory that boots", "MiB"),
    ("peak_rss_mib", "peak RSS of the VMM / runtime", "MiB"),
    ("cpu_job_ms", "CPU job, time inside the program", "ms"),
    ("cpu_exit_ms", "CPU job, start → exit", "ms"),
    ("http_rps", "HTTP requests/s, wrk", "req/s"),
    ("http_p50_ms", "HTTP latency p50, wrk", "ms"),
    ("http_p99_ms", "HTTP latency p99, wrk", "ms"),
    ("tcp_rr_us", "TCP_RR round trip, median", "µs"),
    ("stream_copy_mbs", "STREAM copy", "MB/s"),
    ("stream_scale_mbs", "STREAM scale", "MB/s"),
    ("stream_add_mbs", "STREAM add", "MB/s"),
    ("stream_triad_mbs", "STREAM triad", "MB/s"),
    ("stream_job_ms", "STREAM job, time inside the program", "ms"),
    ("dgemm_gflops", "DGEMM, blocked, double precision", "GFLOP/s"),
    ("dgemm_job_ms", "DGEMM job, time inside the program", "ms"),
)
METRIC_KEYS = tuple(key for key, _, _ in METRICS)


class Results:
    """cells[metric][variant] = {"samples": [...]} | {"value": x, "detail": s} | {"na": why}."""

    def __init__(self, variant_keys, metrics=METRICS):
        self.variants = list(variant_keys)
        self.metrics = list(metrics)        # (key, label, unit): the built-in rows + sections'
        self.cells = {key: {} for key, _, _ in self.metrics}
        self.failures = {}          # variant -> [reason, ...] of runs left out

    def add_metrics(self, metrics):
        """Rows a bench section (bench_sections.Section) brings."""
        for row in metrics:
            if row[0] not in self.cells:
                self.metrics.append(tuple(row))
                self.cells[row[0]] = {}

    def unit(self, metric):
        return next(unit for key, _, unit in self.metrics if key == metric)

    def sample(self, metric, variant, value):
        cell = self.cells[metric].setdefault(variant, {"samples": []})
        cell.setdefault("samples", []).append(value)

    def value(self, metric, variant, value, detail=""):
        self.cells[metric][variant] = {"value": value, "detail": detail}

    def na(self, metric, variant, why):
        self.cells[metric][variant] = {"na": why}

    def failed(self, variant, why):
        self.failures.setdefault(variant, []).append(why)

    def fill_missing(self, variant, why):
        """Every metric this variant has no cell for gets `why`."""
        for metric in self.cells:
            self.cells[metric].setdefault(variant, {"na": why})

    def summary(self, metric, variant):
        """{"median", "min", "max", "n"} | {"value"} | {"na"} for one cell."""
        cell = self.cells.get(metric, {}).get(variant, {"na": "not measured"})
        if "samples" in cell:
            return median_range(cell["samples"]) or {"na": "every run failed"}
        return dict(cell)

    def median(self, metric, variant):
        """The cell's median (or single value), or None."""
        cell = self.summary(metric, variant)
        return cell.get("median", cell.get("value"))
