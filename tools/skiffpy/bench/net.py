"""The bench's network rows: wrk against apps/httpd and a TCP_RR round trip against apps/echo, in each variant."""
import os
import shutil
import subprocess

from . import build as bench_build
from .build import APPS, SKIFF
from .linuxvm import LinuxVM
from .program import Program
from .server import Server, ServerError, free_port, wait_ready
from .wrk import run_tcprr, run_wrk

NET_METRICS = ("http_rps", "http_p50_ms", "http_p99_ms", "tcp_rr_us")
NOT_BUILT = "networking not built"
NET_VARIANTS = ("skiff", "linux_vm", "container", "process")
GUEST_IP, GUEST_GW = "10.0.2.15/24", "10.0.2.2"     # slirp's defaults
HTTP_PAGE_BYTES = 612       # nginx's default index.html, the page of Unikraft's wrk figures


def networking_built():
    """None when apps/httpd exists and `skiff run` has --port; else why not."""
    if not os.path.isdir(os.path.join(APPS, "httpd")):
        return "no apps/httpd"
    try:
        text = subprocess.run([SKIFF, "run", "--help"], stdin=subprocess.DEVNULL,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                              timeout=30).stdout
    except (OSError, subprocess.TimeoutExpired):
        text = ""
    if "--port" not in text:
        return "skiff run has no --port"
    return None


def _netdev(host_port, guest_port):
    """The device `skiff run --port H:G` gives a microvm guest (user-mode NAT, one forward)."""
    return ["-netdev", f"user,id=net0,hostfwd=tcp:127.0.0.1:{host_port}-:{guest_port}",
            "-device", "virtio-net-device,netdev=net0"]


def _www(work):
    """A folder with index.html of HTTP_PAGE_BYTES bytes."""
    folder = os.path.join(work, "www")
    os.makedirs(folder, exist_ok=True)
    head, tail = b"<!DOCTYPE html>\n<html><body><p>", b"</p></body></html>\n"
    body = b"skiff bench " * HTTP_PAGE_BYTES
    page = head + body[:HTTP_PAGE_BYTES - len(head) - len(tail)] + tail
    with open(os.path.join(folder, "index.html"), "wb") as f:
        f.write(page)
    return folder


class Network:
    """Servers built once; start(variant, kind, host port) gives a Server."""

    def __init__(self, session):
        self.session = session
        work = session.work
        www = _www(work)
        self.programs = {
            "http": Program("httpd", bench_build.resolve_app("httpd")[1],
                            marker=b"httpd: serving", files=www),
            "echo": Program("echo", bench_build.resolve_app("echo")[1],
                            marker=b"echo: listening"),
        }
        for program in self.programs.values():
            program.build(work)
        self.www = www
        self.tcprr = bench_build.helper("tcprr", work)
        self.variants = {v.key: v for v in session.live() if v.key in NET_VARIANTS}
        linux = self.variants.get("linux_vm")
        if linux is not None:
            for program in self.programs.values():
                linux.prepare(program, work, net=True)

    def _args(self, kind, variant_key, port):
        """The server's argv[1..]: guests listen on 80 / 7, host ones on the host port."""
        inside = {"skiff": "/", "linux_vm": "/www", "container": "/www", "process": self.www}
        if kind == "http":
            return ["-p", str(port), "-r", inside[variant_key]]
        return [str(port)]

    def start(self, variant, kind, host_port):
        guest_port = {"http": 80, "echo": 7}[kind]
        program = self.programs[kind]
        mem = self.session.mem
        if variant.key == "skiff":
            prog = program.with_args(self._args(kind, "skiff", guest_port))
            argv = variant.argv(prog, mem) + _netdev(host_port, guest_port)
        elif isinstance(variant, LinuxVM):
            prog = program.with_args(self._args(kind, "linux_vm", guest_port))
            argv = variant.argv(prog, mem, net=True,
                                extra_cmdline=f"BENCH_IP={GUEST_IP} BENCH_GW={GUEST_GW}",
                                extra_qemu=_netdev(host_port, guest_port))
        elif variant.key == "container":
            prog = program.with_args(self._args(kind, "container", host_port))
            variant.prepare(prog, self.session.work, share_host_net=True)
            argv = variant.argv(prog, mem)
        else:
            prog = program.with_args(self._args(kind, "process", host_port))
            argv = variant.argv(prog, mem)
        return Server(argv, program.marker, cleanup=variant.cleanup)


def network(session):
    """Fill the network rows: figures where they can be measured, the reason otherwise."""
    missing = networking_built()
    keys = [v.key for v in session.live(programs=False)]
    if missing:
        for key in keys:
            for metric in NET_METRICS:
                session.results.na(metric, key, NOT_BUILT)
        session.notes.append(f"network rows: {NOT_BUILT} ({missing})")
        return
    session.progress("network: building httpd, echo and the TCP_RR client")
    net = Network(session)
    for key in keys:
        if key not in net.variants:
            for metric in NET_METRICS:
                session.results.na(metric, key, "same guest as skiff" if key == "skiff_cli"
                                   else "start-up only" if key == "podman"
                                   else "runs no server")
    have_wrk = shutil.which("wrk") is not None
    if not have_wrk:
        for key in net.variants:
            for metric in NET_METRICS[:3]:
                session.results.na(metric, key, "unavailable: wrk not installed")
    seconds = 2 if session.quick else 5
    rounds = 1 if session.quick else 3
    for rnd in range(1, rounds + 1):
        for kind in (("http", "echo") if have_wrk else ("echo",)):
            for v in net.variants.values():
                session.progress(f"network: {kind} round {rnd}/{rounds}: {v.label}")
                try:
                    _measure_one(session, net, v, kind, seconds)
                except (ServerError, OSError, ValueError) as err:
                    session.results.failed(v.key, f"{kind} round {rnd}: {err}")
    session.notes.append(
        f"network: {rounds} round(s) per variant, each a fresh server; wrk -t2 -c64 -d{seconds}s "
        f"--latency on a {HTTP_PAGE_BYTES}-byte page (after a 1 s warm-up); TCP_RR: "
        f"apps/bench/linux/tcprr.c, 1-byte request and response on one connection for "
        f"{seconds} s against apps/echo; VMs through QEMU user-mode NAT (as `skiff run "
        f"--port`), the container in the host's network namespace")


def _measure_one(session, net, variant, kind, seconds):
    port = free_port()
    with net.start(variant, kind, port) as server:
        wait_ready(kind, port, server)
        if kind == "http":
            url = f"http://127.0.0.1:{port}/index.html"
            run_wrk(url, 1)
            got = run_wrk(url, seconds)
            session.results.sample("http_rps", variant.key, got["rps"])
            session.results.sample("http_p50_ms", variant.key, got["p50_ms"])
            session.results.sample("http_p99_ms", variant.key, got["p99_ms"])
        else:
            run_tcprr(net.tcprr, port, 0.5)
            got = run_tcprr(net.tcprr, port, seconds)
            session.results.sample("tcp_rr_us", variant.key, got["median_us"])

