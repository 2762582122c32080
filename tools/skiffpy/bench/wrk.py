"""Load generators for the network rows and suites: wrk's report parsed (the one parser), and the TCP_RR client's line."""
import re
import subprocess

_UNIT_MS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3}
_LATENCY = re.compile(r"^\s*(50|90|99)%\s+([\d.]+)(us|ms|s|m)\s*$", re.M)
_SUMMARY = re.compile(r"(\d+) requests in ([\d.]+)(s|m)")
_RPS = re.compile(r"^Requests/sec:\s+([\d.]+)", re.M)
_ERRORS = re.compile(r"Socket errors: (connect (\d+), read (\d+), write (\d+), timeout (\d+))")
_NON_2XX = re.compile(r"Non-2xx or 3xx responses: (\d+)")
_TCPRR = re.compile(r"median_us=([\d.]+) p99_us=([\d.]+)")


def parse_wrk(text):
    """`wrk --latency`'s report: {"requests", "seconds", "rps", "errors" (connect, read, write,
    timeout, non_2xx), "error_total", "latency_ms" (p50, p90, p99), "socket_errors" (wrk's
    words, or None when it printed none)}. ValueError when the summary is missing."""
    summary, rps = _SUMMARY.search(text), _RPS.search(text)
    if not summary or not rps:
        raise ValueError(f"no summary in wrk's output: {text.strip().splitlines()[-1:]}")
    sock = _ERRORS.search(text)
    errors = dict(zip(("connect", "read", "write", "timeout"),
                      map(int, sock.groups()[1:]) if sock else (0, 0, 0, 0)))
    non_2xx = _NON_2XX.search(text)
    errors["non_2xx"] = int(non_2xx.group(1)) if non_2xx else 0
    seconds = float(summary.group(2)) * (60 if summary.group(3) == "m" else 1)
    return {"requests": int(summary.group(1)), "seconds": seconds, "rps": float(rps.group(1)),
            "errors": errors, "error_total": sum(errors.values()),
            "latency_ms": {f"p{p}": float(v) * _UNIT_MS[u] for p, v, u in _LATENCY.findall(text)},
            "socket_errors": sock.group(1) if sock else None}


def wrk_command(url, seconds, threads=2, connections=64):
    """The wrk command line every bench runs: --latency, threads x connections for seconds."""
    return ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", url]


def run_wrk(url, seconds, threads=2, connections=64):
    """{"rps", "p50_ms", "p99_ms"} from `wrk --latency`; ValueError if it failed or saw errors."""
    result = subprocess.run(wrk_command(url, seconds, threads, connections),
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, timeout=seconds + 60)
    text = result.stdout
    try:
        report = parse_wrk(text)
    except ValueError:
        report = None
    if result.returncode != 0 or not report or not {"p50", "p99"} <= set(report["latency_ms"]):
        raise ValueError(f"wrk failed: {text.strip().splitlines()[-1:] or result.returncode}")
    errors = report["errors"]
    if errors["non_2xx"]:
        raise ValueError(f"wrk: {errors['non_2xx']} responses were not 2xx/3xx")
    if errors["connect"] or errors["read"] or errors["write"]:
        raise ValueError(f"wrk: Socket errors: {report['socket_errors']}")
    return {"rps": report["rps"], "p50_ms": report["latency_ms"]["p50"],
            "p99_ms": report["latency_ms"]["p99"]}


def run_tcprr(client, port, seconds):
    """{"median_us", "p99_us"} from apps/bench/linux/tcprr.c against 127.0.0.1:port."""
    result = subprocess.run([client, "127.0.0.1", str(port), str(seconds)],
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, timeout=seconds + 60)
    found = _TCPRR.search(result.stdout)
    if result.returncode != 0 or not found:
        raise ValueError(f"tcprr failed: {result.stdout.strip()[-200:]}")
    return {"median_us": float(found.group(1)), "p99_us": float(found.group(2))}
