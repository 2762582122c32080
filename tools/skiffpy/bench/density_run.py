"""Start a fleet of httpd instances in waves until a cap, wait until each answers a GET, measure memory and idle CPU, stop them all."""
import asyncio
import os
import resource
import socket
import statistics
import time

GET = b"GET /index.html HTTP/1.1\r\nHost: density\r\nConnection: close\r\n\r\n"
BANNER = b"httpd: serving"
RETRY_S = 0.02
SETTLE_S = 2.0
CLK_TCK = os.sysconf("SC_CLK_TCK")
PAGE_KIB = os.sysconf("SC_PAGE_SIZE") // 1024


def meminfo_bytes(field):
    """/proc/meminfo's field (MemAvailable, MemTotal) in bytes."""
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith(f"{field}:"):
                return int(line.split()[1]) * 1024
    raise OSError(f"no {field} in /proc/meminfo")


def mem_available():
    return meminfo_bytes("MemAvailable")


def mem_total():
    return meminfo_bytes("MemTotal")


def process_memory(pid):
    """(PSS, RSS, page tables) of one process in KiB, from smaps_rollup and status; None
    when it is gone."""
    try:
        rollup = {}
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                parts = line.split()
                if len(parts) == 3 and parts[2] == "kB":
                    rollup[parts[0].rstrip(":")] = int(parts[1])
        pte = 0
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmPTE:"):
                    pte = int(line.split()[1])
        return rollup["Pss"], rollup["Rss"], pte
    except (OSError, KeyError):
        return None


def cpu_ticks(pid):
    """utime + stime of a process (all its threads), in clock ticks; None when gone."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])
    except (OSError, IndexError, ValueError):
        return None


def cpu_ns(pid):
    """CPU time of all a process's threads in ns, from /proc/PID/task/*/schedstat (exact,
    where /proc/PID/stat counts whole clock ticks); None when gone."""
    total = 0
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/schedstat") as f:
                total += int(f.read().split()[0])
    except (OSError, IndexError, ValueError):
        return None
    return total


def alive(pid):
    """Does pid exist as a process that is not a zombie?"""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


async def _get(port, timeout=2):
    reader, writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port),
                                            timeout)
    try:
        writer.write(GET)
        head = await asyncio.wait_for(reader.read(64), timeout)
    finally:
        writer.close()
    return head.startswith(b"HTTP/1.1 200") or head.startswith(b"HTTP/1.0 200")


def _has_banner(path):
    try:
        with open(path, "rb") as f:
            return BANNER in f.read()
    except OSError:
        return False


async def _until_answers(variant, inst, deadline):
    """Wait for httpd's banner in the log, then GET until it answers. Not a GET at once:
    slirp accepts a forwarded connection before the guest listens, and the guest's first
    SYN answer can then take a retransmission (a second or more) to come."""
    banner = False
    while time.monotonic() < deadline:
        status = inst.proc.poll()
        if status is not None and (variant.persistent or status != 0):
            inst.error = f"{os.path.basename(inst.proc.args[0])} exited with status {status}" \
                f" ({_log_tail(inst.log)})"
            return
        if not banner:
            banner = _has_banner(inst.log)
            if not banner:
                await asyncio.sleep(RETRY_S)
                continue
        try:
            if await _get(inst.port):
                inst.ready = time.monotonic()
                if variant.persistent:
                    inst.boot_cpu_s = (cpu_ticks(inst.proc.pid) or 0) / CLK_TCK
                return
        except (OSError, asyncio.TimeoutError):
            pass
        await asyncio.sleep(RETRY_S)
    inst.error = f"no HTTP answer on port {inst.port} in time"


def _log_tail(path):
    try:
        with open(path, "rb") as f:
            lines = f.read().decode(errors="replace").strip().splitlines()
    except OSError:
        return "no log"
    return lines[-1][:160] if lines else "no output"


def wait_answering(variant, batch, deadline):
    async def all_of():
        await asyncio.gather(*(_until_answers(variant, i, deadline) for i in batch))
    asyncio.run(all_of())


CHECK_AT_ONCE = 25
CHECK_TIMEOUT_S = 10


def answering_now(instances):
    """How many of instances answer one GET now, CHECK_AT_ONCE at a time. Not all at once:
    400 guests woken together under TCG share 2 cores fairly, so every answer comes late
    together (all 400 missed a 2 s timeout here, while 25 at a time all answer)."""
    async def count():
        gate = asyncio.Semaphore(CHECK_AT_ONCE)

        async def one(inst):
            async with gate:
                try:
                    return await _get(inst.port, CHECK_TIMEOUT_S)
                except (OSError, asyncio.TimeoutError):
                    return False
        return sum(await asyncio.gather(*(one(i) for i in instances)))
    return asyncio.run(count())


def _free_port(taken):
    for _ in range(100):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        if port not in taken:
            taken.add(port)
            return port
    raise OSError("no free port found")


class Caps:
    """When to stop adding instances: max_n, wave size, time_cap_s for the ramp, headroom
    (bytes of MemAvailable to leave), ready_s: how long one instance may take to answer
    once its wave started (plus per_instance_s for each instance in the wave), idle_s: how
    long idle CPU is sampled."""

    def __init__(self, max_n, wave, time_cap_s, headroom, ready_s, per_instance_s, idle_s):
        self.max_n, self.wave, self.time_cap_s, self.headroom = max_n, wave, time_cap_s, headroom
        self.ready_s, self.per_instance_s, self.idle_s = ready_s, per_instance_s, idle_s


def run_fleet(variant, caps, work, progress):
    """Ramp up variant's instances in waves, measure, stop every one of them (also on
    error or Ctrl-C). A dict of figures; 'leftover' counts processes still alive after."""
    logs = os.path.join(work, f"density-{variant.key}")
    os.makedirs(logs, exist_ok=True)
    instances, ports = [], set()
    fig = {"waves": 0, "launch_s": 0.0, "stop_reason": None, "loadavg_before": os.getloadavg()}
    children0 = _children_cpu_s()
    self0 = _self_cpu_s()
    avail_before = mem_available()
    fig["mem_available_before"] = avail_before
    begin = time.monotonic()
    try:
        while True:
            up = [i for i in instances if i.ready]
            if len(instances) >= caps.max_n:
                fig["stop_reason"] = f"reached the maximum of {caps.max_n}"
                break
            if time.monotonic() - begin > caps.time_cap_s:
                fig["stop_reason"] = f"time cap of {caps.time_cap_s:g} s"
                break
            room = caps.wave
            if up:
                per = max(1, (avail_before - mem_available()) / len(up))
                room = int((mem_available() - caps.headroom) / per)
            elif mem_available() < caps.headroom:
                room = 0
            n = min(caps.wave, caps.max_n - len(instances), room)
            if n <= 0:
                fig["stop_reason"] = (f"host memory headroom ({caps.headroom / 2**30:g} GiB "
                                      "of MemAvailable left)")
                break
            progress(f"density: {variant.label}: starting {n} more ({len(up)} answering)")
            t0 = time.monotonic()
            batch = [variant.start(len(instances) + k, _free_port(ports),
                                   os.path.join(logs, f"{len(instances) + k}.log"),
                                   time.monotonic()) for k in range(n)]
            instances += batch
            wait_answering(variant, batch, t0 + caps.ready_s + caps.per_instance_s * n)
            fig["launch_s"] += time.monotonic() - t0
            fig["waves"] += 1
            failed = [i for i in batch if i.ready is None]
            if failed:
                fig["stop_reason"] = (f"{len(failed)} of a wave of {n} did not answer: "
                                      f"{failed[0].error}")
                break
        fig["reaped_children_cpu_s"] = _children_cpu_s() - children0
        fig["launcher_cpu_s"] = _self_cpu_s() - self0
        fig["loadavg_after_launch"] = os.getloadavg()
        _measure(variant, instances, caps, fig, progress)
    finally:
        fig["leftover"] = _stop_all(variant, instances, progress)
    fig["started"] = len(instances)
    fig["mem_total"] = mem_total()
    return fig


def _measure(variant, instances, caps, fig, progress):
    up = [i for i in instances if i.ready]
    fig["answered"] = len(up)
    fig["errors"] = sorted({i.error for i in instances if i.error})[:5]
    if not up:
        return
    fig["boot_ms"] = [round((i.ready - i.started) * 1000, 1) for i in up]
    fig["boot_ms_median"] = statistics.median(fig["boot_ms"])
    # CPU to boot: a running instance's own ticks when it first answered; runc's (reaped)
    # from the children's rusage, the container's process from its ticks now
    boot_cpu = [i.boot_cpu_s for i in up if i.boot_cpu_s is not None]
    if not variant.persistent:
        apps = [cpu_ticks(p) for i in up for p in variant.pids(i)]
        boot_cpu = [(fig["reaped_children_cpu_s"] + sum(t or 0 for t in apps) / CLK_TCK)
                    / len(up)]
    fig["boot_cpu_ms"] = 1000 * sum(boot_cpu) / len(boot_cpu) if boot_cpu else None
    time.sleep(SETTLE_S)
    progress(f"density: {variant.label}: measuring {len(up)} idle instances")
    pids = {i.index: variant.pids(i) for i in up}
    mem = [process_memory(p) for ps in pids.values() for p in ps]
    mem = [m for m in mem if m]
    fig["mem_available_after"] = mem_available()
    fig["measured_processes"] = len(mem)
    fig["pss_kib"] = sum(m[0] for m in mem)
    fig["rss_kib"] = sum(m[1] for m in mem)
    fig["pte_kib"] = sum(m[2] for m in mem)
    before = {p: cpu_ns(p) for ps in pids.values() for p in ps}
    t0 = time.monotonic()
    time.sleep(caps.idle_s)
    after = {p: cpu_ns(p) for p in before}
    seconds = time.monotonic() - t0
    used = sum(after[p] - before[p] for p in before
               if before[p] is not None and after[p] is not None)
    fig["idle_cpu_s"] = used / 1e9
    fig["idle_window_s"] = seconds
    t0 = time.monotonic()
    fig["answering_after_idle"] = answering_now(up)
    fig["answer_check_s"] = time.monotonic() - t0


def _children_cpu_s():
    use = resource.getrusage(resource.RUSAGE_CHILDREN)
    return use.ru_utime + use.ru_stime


def _self_cpu_s():
    use = resource.getrusage(resource.RUSAGE_SELF)
    return use.ru_utime + use.ru_stime


def _stop_all(variant, instances, progress):
    """Stop every instance; the number of their processes still alive after."""
    if instances:
        progress(f"density: {variant.label}: stopping {len(instances)}")
    pids = []
    for inst in instances:
        try:
            pids += variant.pids(inst) if inst.ready else []
        except (OSError, ValueError):
            pass
        pids.append(inst.proc.pid)
        variant.stop(inst)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(alive(p) for p in pids):
        time.sleep(0.1)
    return sum(1 for p in pids if alive(p))
