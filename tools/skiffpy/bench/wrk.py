"""Load generators for the network rows: wrk's report parsed, and the TCP_RR client's line."""
import re
import subprocess

_UNIT_MS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3}
_LATENCY = re.compile(r"^\s*(50|99)%\s+([\d.]+)(us|ms|s|m)\s*$", re.M)
_RPS = re.compile(r"^Requests/sec:\s+([\d.]+)", re.M)
_ERRORS = re.compile(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")
_NON_2XX = re.compile(r"Non-2xx or 3xx responses: (\d+)")
_TCPRR = re.compile(r"median_us=([\d.]+) p99_us=([\d.]+)")


def run_wrk(url, seconds, threads=2, connections=64):
    """{"rps", "p50_ms", "p99_ms"} from `wrk --latency`; ValueError if it failed or saw errors."""
    cmd = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", url]
    result = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, timeout=seconds + 60)
    text = result.stdout
    rps = _RPS.search(text)
    latency = {p: float(v) * _UNIT_MS[u] for p, v, u in _LATENCY.findall(text)}
    if result.returncode != 0 or not rps or set(latency) != {"50", "99"}:
        raise ValueError(f"wrk failed: {text.strip().splitlines()[-1:] or result.returncode}")
    bad = _NON_2XX.search(text)
    if bad:
        raise ValueError(f"wrk: {bad.group(1)} responses were not 2xx/3xx")
    errors = _ERRORS.search(text)
    if errors and any(int(n) for n in errors.groups()[:3]):
        raise ValueError(f"wrk: {errors.group(0)}")
    return {"rps": float(rps.group(1)), "p50_ms": latency["50"], "p99_ms": latency["99"]}


def run_tcprr(client, port, seconds):
    """{"median_us", "p99_us"} from apps/bench/linux/tcprr.c against 127.0.0.1:port."""
    result = subprocess.run([client, "127.0.0.1", str(port), str(seconds)],
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, timeout=seconds + 60)
    found = _TCPRR.search(result.stdout)
    if result.returncode != 0 or not found:
        raise ValueError(f"tcprr failed: {result.stdout.strip()[-200:]}")
    return {"median_us": float(found.group(1)), "p99_us": float(found.group(2))}
