"""The built-in sections of the bench report: start-up, image size, memory footprint, memory throughput, CPU, FLOPs, network latency."""
from .sections import Section, register

PUBLISHED = "published, on their hardware under KVM: cited, not compared"


def _startup(session):
    session.startup()


def _image(session):
    session.image_sizes()


def _footprint(session):
    session.startup()           # peak RSS comes from the start-up runs (once per bench)
    session.memory()


def _memory(session):
    session.stream_job()


def _cpu(session):
    from . import lua as bench_lua
    session.cpu_job()
    bench_lua.lua_job(session)


def _flops(session):
    session.dgemm_job()


def _latency(session):
    from . import net as bench_net
    bench_net.network(session)


def register_builtin():
    register(Section(
        "startup", "Start-up",
        [("first_output_ms", "start → first output", "ms"), ("exit_ms", "start → exit", "ms")],
        _startup,
        method="fork to the first bytes of the program's own output, and to wait4, in "
        "apps/bench/linux/measure.c; skiff (microvm) is the bare QEMU command `skiff run` "
        "builds, skiff run (CLI) the whole command as typed, which also starts QEMU with "
        "glibc malloc tunables and a stand-in disassembler library (qemu.py qemu_environ); "
        "each variant that runs in under a second runs five times a round, interleaved",
        anchors=[f"Unikraft (EuroSys'21): helloworld total boot 9.0 ms on QEMU microvm, "
                 f"37.8 ms on QEMU, 2.73 ms on Firecracker ({PUBLISHED})",
                 f"OSv README: about 3 ms on QEMU microvm ({PUBLISHED})",
                 f"Firecracker SPECIFICATION.md: ≤ 125 ms to Linux /sbin/init ({PUBLISHED})"]))
    register(Section(
        "image", "Image size",
        [("image_kb", "image size", "KB")], _image,
        method="the bytes each variant ships: the skiff ELF; kernel + initramfs; the static "
        "program (the container's rootfs holds only it)",
        anchors=[f"Unikraft: hello 213 KB stripped, 197 KB with LTO+DCE ({PUBLISHED})",
                 f"IncludeOS (CloudCom'15): DNS server image 158 KB ({PUBLISHED})"]))
    register(Section(
        "footprint", "Memory footprint",
        [("min_mem_mib", "smallest memory that boots", "MiB"),
         ("peak_rss_mib", "peak RSS of the VMM / runtime", "MiB")], _footprint,
        method="smallest guest memory: skiff and the floor step up from 2 MiB, the Linux VM "
        "bisects; peak RSS: wait4's ru_maxrss (the CLI's takes in QEMU's, which it waits for)",
        anchors=[f"Unikraft fig. 11, smallest memory: hello 2 MB, Docker 6–7 MB, OSv 24–40 MB, "
                 f"Linux microVM 29–30 MB ({PUBLISHED})",
                 f"Firecracker design.md: VMM overhead ≤ 5 MiB ({PUBLISHED})"]))
    register(Section(
        "memory", "Memory throughput",
        [("stream_copy_mbs", "STREAM copy", "MB/s"), ("stream_scale_mbs", "STREAM scale", "MB/s"),
         ("stream_add_mbs", "STREAM add", "MB/s"), ("stream_triad_mbs", "STREAM triad", "MB/s"),
         ("stream_job_ms", "STREAM job, time inside the program", "ms")], _memory,
        method="apps/bench/stream.c: copy, scale, add, triad over three arrays of 16 MiB "
        "(4× the host's per-core L2), best round of each kernel; every element checked "
        "afterwards, a wrong one fails the run"))
    register(Section(
        "cpu", "CPU",
        [("cpu_job_ms", "CPU job, time inside the program", "ms"),
         ("cpu_exit_ms", "CPU job, start → exit", "ms"),
         ("lua_job_ms", "Lua job, time inside the program", "ms"),
         ("lua_exit_ms", "Lua job, start → exit", "ms")], _cpu,
        goals={"lua_job_ms": [("skiff's time ≤ the Linux VM's", "linux_vm",
                               lambda s, o: (s <= o, f"{s / o:.2f}×"), "skiff")]},
        method="apps/bench/cpu.c: prime sieve, integer hashing and a floating-point series; "
        "its result must equal the native run's. The Lua job: Lua 5.4's interpreter "
        "(apps/lua/port.mk's sources and options, built for each variant) running one "
        "script (calls, tables, strings, sort, patterns), timed by its own os.clock(); its "
        "results must equal the native run's"))
    register(Section(
        "flops", "Floating point (FLOPs)",
        [("dgemm_gflops", "DGEMM, blocked, double precision", "GFLOP/s"),
         ("dgemm_job_ms", "DGEMM job, time inside the program", "ms")], _flops,
        method="apps/bench/dgemm.c: C = A·B in 32×32 tiles, 2n³ operations, best round; the "
        "residual |Cx − A(Bx)| / (n·|Cx|) must be below 1e-12 or the run fails"))
    register(Section(
        "latency", "Network latency and HTTP",
        [("tcp_rr_us", "TCP_RR round trip, median", "µs"),
         ("http_p50_ms", "HTTP latency p50, wrk", "ms"),
         ("http_p99_ms", "HTTP latency p99, wrk", "ms"),
         ("http_rps", "HTTP requests/s, wrk", "req/s")], _latency,
        method="apps/echo with a 1-byte TCP_RR client; apps/httpd under wrk on a 612-byte page; "
        "VMs through QEMU user-mode NAT, the container in the host's network namespace",
        anchors=[f"Unikraft fig. 13 (wrk, 1 core, 612 B page): nginx on Unikraft 291.8k req/s, "
                 f"Docker 160.3k, Linux VM on QEMU 104.5k ({PUBLISHED})"]))
