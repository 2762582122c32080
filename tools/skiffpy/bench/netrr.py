"""The bench's transaction and stream rows (TCP_RR, UDP_RR, TCP_CRR, TCP_STREAM both ways) per path and variant, with apps/bench/netsrv.c and netcli.c; callable on its own."""
import argparse
import json
import os
import re
import subprocess
import sys

from . import build as bench_build, netns as bench_netns, netpeer as bench_netpeer
from .program import Program
from .results import Results
from .sections import Section, register
from .server import Server, ServerError, free_port, until_answers

# mode (netcli's name), row label, unit, goal factor against the Linux VM on the same path
MODES = (
    ("tcp_rr", "TCP_RR", "trans/s", 1.5),
    ("udp_rr", "UDP_RR", "trans/s", 1.5),
    ("tcp_crr", "TCP_CRR", "trans/s", 1.5),
    ("tcp_recv", "TCP_STREAM server → client", "Mbit/s", 1.0),
    ("tcp_send", "TCP_STREAM client → server", "Mbit/s", 1.0),
)
PATHS = (
    ("nat", "--port: VMs through QEMU's user-mode NAT, container and process on host loopback"),
    ("tap", "VMs on a tap, container and process behind a veth pair, in namespaces"),
    ("net", "instance to instance on one private segment as `skiff run --network` makes it "
     "(QEMU socket multicast on 127.0.0.1): skiff ↔ skiff, Linux VM ↔ Linux VM"),
)
PEERS = ("skiff", "linux_vm")       # the variants measured instance to instance
VARIANTS = ("skiff", "linux_vm", "container", "process")
GUEST_PORT = 7
GUEST_NAT_IP, GUEST_NAT_GW = "10.0.2.15/24", "10.0.2.2"     # slirp's defaults
READY_TIMEOUT_S = 90
LINE = re.compile(r"netcli: mode=(\w+) transactions=(\d+) seconds=([\d.]+) per_s=([\d.]+) "
                  r"mbit_s=([\d.]+) lost=(\d+)")


def parse(text, modes, ok):
    """netcli's lines → {mode: {"per_s", "mbit_s", "lost"}}; ValueError unless every mode
    has its line and the run succeeded."""
    got = {m.group(1): {"per_s": float(m.group(4)), "mbit_s": float(m.group(5)),
                        "lost": int(m.group(6))} for m in LINE.finditer(text)}
    if not ok or any(mode not in got for mode in modes):
        reasons = [line for line in text.strip().splitlines() if not LINE.search(line)]
        raise ValueError(f"netcli: {(reasons or ['no result line'])[-1][:200]}")
    return got


def metric(mode, path):
    return f"{mode}_{path}"


def metrics():
    """(key, label, unit, mode, path, factor) in the table's order."""
    return [(metric(m, p), f"{label}, {p}", unit, m, p, factor)
            for p, _ in PATHS for m, label, unit, factor in MODES]


class NetRR:
    """netsrv built for every variant, netcli for the host; start(variant, path) → Server;
    run(mode, path, port) → netcli's figures."""

    def __init__(self, work, variants, ns):
        self.work, self.variants, self.ns = work, variants, ns
        self.srv = Program("netsrv", bench_build.resolve_app("netsrv")[1],
                           marker=b"netsrv: listening")
        self.srv.build(work)
        self.client = Program("netcli", bench_build.resolve_app("netcli")[1],
                              marker=b"netcli: mode=")
        self.client.build(work)             # the host's client, and the VMs' on path net
        self.cli = self.client.linux_bin
        linux = variants.get("linux_vm")
        if linux is not None:
            linux.prepare(self.srv, work, net=True)
            linux.prepare(self.client, work, net=True)

    def address(self, variant, path, host_port):
        """(client prefix, address, port) the client uses for this server."""
        if path == "nat":
            return [], "127.0.0.1", host_port
        vm = variant.key in ("skiff", "linux_vm")
        ip = bench_netns.GUEST_TAP_IP if vm else bench_netns.SERVER_VETH_IP
        return self.ns.client, ip, GUEST_PORT

    def start(self, variant, path, host_port, mem):
        vm = variant.key in ("skiff", "linux_vm")
        port = GUEST_PORT if vm or path != "nat" else host_port
        prog = self.srv.with_args([str(port)])
        if path == "nat":
            fwd = (f"user,id=net0,hostfwd=tcp:127.0.0.1:{host_port}-:{GUEST_PORT},"
                   f"hostfwd=udp:127.0.0.1:{host_port}-:{GUEST_PORT}")
            ip, gw, prefix = GUEST_NAT_IP, GUEST_NAT_GW, []
        else:
            fwd = f"tap,id=net0,ifname={bench_netns.TAP},script=no,downscript=no"
            ip, gw = f"{bench_netns.GUEST_TAP_IP}/24", bench_netns.CLIENT_TAP_IP
            prefix = self.ns.client if vm else self.ns.server
        nic = ["-netdev", fwd, "-device", "virtio-net-device,netdev=net0"]
        if variant.key == "skiff":
            kernel_args = "" if path == "nat" else f"ip={ip} gw={gw}"
            argv = variant.argv(prog, mem, kernel_args=kernel_args) + nic
        elif variant.key == "linux_vm":
            argv = variant.argv(prog, mem, net=True, extra_cmdline=f"BENCH_IP={ip} BENCH_GW={gw}",
                                extra_qemu=nic)
        elif variant.key == "container":
            # runc joins the server namespace through its config (under `ip netns exec`,
            # which remounts /sys, it finds no cgroups); unshare inherits it from the prefix
            netns = self.ns.path if path != "nat" and variant.runtime == "runc" else None
            variant.prepare(prog, self.work, share_host_net=True, netns=netns)
            if netns:
                prefix = []
            argv = variant.argv(prog, mem)
        else:
            argv = variant.argv(prog, mem)
        return Server(prefix + argv, self.srv.marker, cleanup=variant.cleanup)

    def run(self, modes, prefix, addr, port, seconds):
        """{mode: {"per_s", "mbit_s", "lost"}} of one netcli run over the modes in turn;
        ValueError with netcli's reason."""
        limit = seconds * len(modes) + 60
        try:
            result = subprocess.run([*prefix, self.cli, ",".join(modes), addr, str(port),
                                     str(seconds)], stdin=subprocess.DEVNULL,
                                    stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                    timeout=limit)
        except subprocess.TimeoutExpired:
            raise ValueError(f"netcli did not finish within {limit} s") from None
        return parse(result.stdout, modes, result.returncode == 0)

    def wait_ready(self, server, prefix, addr, port):
        """Until one TCP round trip and one UDP round trip get through."""
        def answers():
            self.run(["tcp_rr", "udp_rr"], prefix, addr, port, 0.2)   # ValueError: not yet
            return True
        until_answers(server, answers, f"{addr}:{port}", READY_TIMEOUT_S, (ValueError,), 0.2)


def measure(results, variants, work, mem, quick, rounds, paths, progress, notes):
    """Fill results (metrics() × variants): rounds × paths × variants, each a fresh server
    answering every mode in turn; the Linux VM's and skiff's servers are interleaved."""
    seconds = 1 if quick else 5
    live = {k: v for k, v in variants.items() if v is not None and v.unavailable is None}
    for key in VARIANTS:
        if key not in live:
            for m in metrics():
                results.na(m[0], key, "variant unavailable")
    for key in live:
        if key not in PEERS:
            for mode, *_ in MODES:
                results.na(metric(mode, "net"), key, "VMs only (skiff ↔ skiff, Linux VM ↔ "
                           "Linux VM)")
    why_no_ns = bench_netns.missing() if "tap" in paths else None
    if why_no_ns:
        for key in live:
            for mode, *_ in MODES:
                results.na(metric(mode, "tap"), key, why_no_ns)
        paths = [p for p in paths if p != "tap"]
    with bench_netns.Namespaces("netrr") if "tap" in paths else _Nothing() as ns:
        net = NetRR(work, live, ns)
        for rnd in range(1, rounds + 1):
            for path in paths:
                for v in live.values():
                    if path == "net" and v.key not in PEERS:
                        continue
                    progress(f"network rows: round {rnd}/{rounds}, {path}: {v.label}")
                    try:
                        _one_server(results, net, v, path, mem, seconds)
                    except (ServerError, OSError, ValueError) as err:
                        results.failed(v.key, f"{path} round {rnd}: {err}")
    notes.append(f"network rows: {rounds} round(s), each a fresh server per variant and path, "
                 f"every mode {seconds} s after a TCP and a UDP round trip; server "
                 f"apps/bench/netsrv.c, client apps/bench/netcli.c (1-byte requests and "
                 f"responses; streams in 64 KiB writes)")
    notes.append("server: the variant (a guest, the container, the process); client: "
                 "netcli on the host, or on path net in a second instance of the same kind "
                 "(both VMs share the host's CPUs)")
    for p, text in PATHS:
        notes.append(f"path {p}: {text}")


class _Nothing:
    def __enter__(self):
        return None

    def __exit__(self, *exc):
        return False


def _one_server(results, net, variant, path, mem, seconds):
    if path == "net":
        _peers(results, net, variant, mem, seconds)
        return
    host_port = free_port()
    prefix, addr, port = net.address(variant, path, host_port)
    with net.start(variant, path, host_port, mem) as server:
        net.wait_ready(server, prefix, addr, port)
        _record(results, variant, path, net.run([m[0] for m in MODES], prefix, addr, port,
                                                seconds))


def _peers(results, net, variant, mem, seconds):
    """Server VM and client VM of one kind on a fresh private segment."""
    segment = bench_netpeer.Segment()
    modes = [m[0] for m in MODES]
    with bench_netpeer.server(variant, net.srv, mem, segment):
        out = bench_netpeer.client(variant, net.client, mem, segment, modes, seconds)
        _record(results, variant, "net", parse(out, modes, True))


def _record(results, variant, path, got):
    for mode, _, unit, _ in MODES:
        value = got[mode]["per_s"] if unit == "trans/s" else got[mode]["mbit_s"]
        results.sample(metric(mode, path), variant.key, value)


def goals(results):
    """{metric: {"goal", "holds", "standing"}}: skiff against the Linux VM, same path."""
    out = {}
    for key, _, unit, _, _, factor in metrics():
        s, o = results.median(key, "skiff"), results.median(key, "linux_vm")
        text = f"≥ {factor:g}× the Linux VM" if factor != 1 else "≥ the Linux VM"
        if s is None or o is None or o <= 0:
            out[key] = {"goal": text, "holds": None, "standing": "no figure"}
        else:
            out[key] = {"goal": text, "holds": s >= factor * o, "standing": f"{s / o:.2f}×"}
    return out


def markdown(results, labels, notes):
    from .report import cell_text
    checks = goals(results)
    cols = [v for v in VARIANTS if v in results.variants]
    lines = ["| network row | " + " | ".join(labels.get(v, v) for v in cols) + " | goal |",
             "|---|" + "---|" * (len(cols) + 1)]
    for key, label, unit, *_ in metrics():
        cells = [cell_text(results.summary(key, v), unit) for v in cols]
        c = checks[key]
        verdict = {True: "met", False: "not met", None: "not measured"}[c["holds"]]
        goal = f"skiff {c['goal']}" + (f": {c['standing']}, " if c["holds"] is not None
                                      else ", ") + verdict
        lines.append(f"| {label} ({unit}) | " + " | ".join(cells) + f" | {goal} |")
    lines.append("")
    lines += [f"- {n}" for n in notes]
    return "\n".join(lines) + "\n"


def as_json(results, labels, meta):
    checks = goals(results)
    rows = []
    for key, label, unit, mode, path, _ in metrics():
        rows.append({"metric": key, "label": label, "unit": unit, "mode": mode, "path": path,
                     "cells": {v: results.summary(key, v) for v in results.variants},
                     "samples": {v: results.cells[key][v]["samples"] for v in results.variants
                                 if "samples" in results.cells[key].get(v, {})},
                     "goal": checks[key]})
    return {"meta": meta, "variants": [{"key": v, "label": labels.get(v, v)}
                                       for v in results.variants],
            "rows": rows, "failed_runs": results.failures}


def report(results, labels, out_dir, meta):
    """Write netrr.json and the chart; return the Markdown table with its notes."""
    from . import chart as bench_chart
    os.makedirs(out_dir, exist_ok=True)
    chart, why = bench_chart.draw_net(results, labels, metrics(), out_dir,
                                      f"skiff bench network rows, {meta.get('accel', '')}")
    notes = list(meta["notes"])
    notes.append(f"chart: {chart}" if chart else f"no chart: {why}")
    for key, reasons in results.failures.items():
        notes.append(f"{key}: {len(reasons)} server run(s) left out: {reasons[0]}"
                     + (" ..." if len(reasons) > 1 else ""))
    meta = dict(meta, notes=notes, chart=chart)
    with open(os.path.join(out_dir, "netrr.json"), "w") as f:
        json.dump(as_json(results, labels, meta), f, indent=1, ensure_ascii=False)
        f.write("\n")
    return markdown(results, labels, notes)


def run_section(session):
    """The report's "transactions" section: measure with the session's variants, write
    netrr.json and netrr.png beside results.json, and copy every cell into the session's
    results (the report's table and goals)."""
    variants = {v.key: v for v in session.live() if v.key in VARIANTS}
    keys = [k for k in VARIANTS if k in {v.key for v in session.variants}]
    results = Results(keys, [m[:3] for m in metrics()])
    notes = []
    rounds = 1 if session.quick else 3
    from .net import networking_built
    missing = networking_built()
    if missing:
        for key in keys:
            for m in metrics():
                results.na(m[0], key, f"networking not built ({missing})")
    else:
        measure(results, variants, session.work, session.mem, session.quick, rounds,
                [p for p, _ in PATHS], session.progress, notes)
    labels = {v.key: v.label for v in session.variants}
    report(results, labels, session.out_dir,
           {"quick": session.quick, "rounds": rounds, "accel": session.host["accel"],
            "notes": notes})
    for key, cells in results.cells.items():
        for variant, cell in cells.items():
            session.results.cells[key][variant] = dict(cell)


def _goal(factor):
    text = f"skiff ≥ {factor:g}× the Linux VM" if factor != 1 else "skiff ≥ the Linux VM"
    return [(text, "linux_vm", lambda s, o, f=factor: (s >= f * o, f"{s / o:.2f}×"), "skiff")]


register(Section(
    key="transactions", title="Network transactions (TCP/UDP)",
    metrics=[m[:3] for m in metrics()],
    run=run_section,
    goals={m[0]: _goal(m[5]) for m in metrics()},
    method="apps/bench/netsrv.c in each variant, apps/bench/netcli.c on the host (or in the "
           "peer instance); 1-byte request/response for the transaction rates, bulk bytes for "
           "TCP_STREAM; paths: " + "; ".join(f"{p}: {why}" for p, why in PATHS),
    chart=None,
))


def main(argv=None):
    """python3 -m skiffpy.bench.netrr [--quick] [--variants a,b] [--paths nat,tap]"""
    from . import host as bench_host
    from .container import Container, Process
    from .linuxvm import LinuxVM
    from .progress import Progress
    from .skiffvm import SkiffVM
    from ..common import BUILD
    from ..memsize import parse_mem
    p = argparse.ArgumentParser(prog="skiff bench netrr", description=__doc__)
    p.add_argument("--quick", action="store_true", help="1 round of 1 s per mode (tests)")
    p.add_argument("--runs", type=int, help="rounds (default 3, --quick 1)")
    p.add_argument("--variants", default=",".join(VARIANTS))
    p.add_argument("--paths", default="nat,tap,net")
    p.add_argument("--mem", default="128M")
    p.add_argument("--out", default=os.path.join(BUILD, "bench"))
    args = p.parse_args(argv)
    chosen = args.variants.split(",")
    paths = args.paths.split(",")
    bad = [v for v in chosen if v not in VARIANTS] + [x for x in paths
                                                       if x not in dict(PATHS)]
    if bad or (args.runs is not None and args.runs < 1):
        sys.stderr.write(f"skiff bench netrr: unknown variant or path {bad}, or bad --runs\n")
        return 2
    out = os.path.abspath(args.out)
    work = os.path.join(out, "work")
    os.makedirs(work, exist_ok=True)
    progress = Progress()
    host = bench_host.facts()
    made = {}
    if "skiff" in chosen:
        made["skiff"] = SkiffVM(host["accel"], work)
    if "linux_vm" in chosen:
        made["linux_vm"] = LinuxVM(host["accel"], host["tsc_khz"], work,
                                   bench_build.helper("init", work))
    if "container" in chosen:
        made["container"] = Container(work, bench_build.helper("measure", work))
        hello = Program(*bench_build.resolve_app("hello"))
        hello.build(work)
        made["container"].prepare(hello, work)      # picks runc, or unshare where it fails
    if "process" in chosen:
        made["process"] = Process()
    results = Results([k for k in VARIANTS if k in made], [m[:3] for m in metrics()])
    notes = []
    rounds = args.runs or (1 if args.quick else 3)
    measure(results, made, work, parse_mem(args.mem), args.quick, rounds, paths, progress,
            notes)
    progress.done()
    for key, v in made.items():
        if v.unavailable:
            notes.append(f"{v.label}: unavailable: {v.unavailable}")
    labels = {k: v.label for k, v in made.items()}
    text = report(results, labels, out, {"quick": args.quick, "rounds": rounds,
                                         "accel": host["accel"], "notes": notes,
                                         "command": " ".join(
                                             ["python3 -m skiffpy.bench.netrr",
                                              *(sys.argv[1:] if argv is None else argv)])})
    sys.stdout.write(text)
    sys.stdout.write(f"\nresults: {os.path.join(out, 'netrr.json')}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
