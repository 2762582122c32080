"""skiff bench's disk I/O rows: apps/bench/diskio.c on a 9p volume, virtio-fs and a raw virtio-blk disk (skiff, Linux VM), a bind mount (container) and a host directory (process)."""
import glob
import json
import os
import re
import shutil
import signal
import subprocess
import time

from . import build as bench_build, diskchart as bench_diskchart
from .cpio import CpioWriter
from .linuxvm import BASE_CMDLINE, INIT_EXIT, clock_words
from .sections import Section, register
from .stats import median_range
from ..common import BUILD, ROOT
from ..qemu import qemu_command

SOURCE = os.path.join(ROOT, "apps", "bench", "diskio.c")
SKIFF = os.path.join(ROOT, "tools", "skiff")
# The Linux VM of the disk rows: Debian's generic kernel (the cloud one has no 9p), taken
# from its package like the cloud one (tools/deps.sh linux-vm-full), never installed.
FULL_KERNEL = os.path.join(os.environ.get("CACHE") or os.path.join(BUILD, "cache"),
                           "linux-vm-full")      # as mk/config.mk: CACHE overrides
VIRTIOFSD = "/usr/lib/qemu/virtiofsd"
MSIZE = 128 * 1024 + 24          # skiff's (libc-shim/fs/p9conn.c MSIZE_WANT)
P9_OPTIONS = f"trans=virtio,version=9p2000.L,msize={MSIZE},cache=none"
MODULES = ("drivers/virtio/virtio.ko", "drivers/virtio/virtio_ring.ko",
           "drivers/virtio/virtio_mmio.ko", "drivers/block/virtio_blk.ko",
           "fs/netfs/netfs.ko", "fs/fscache/fscache.ko", "net/9p/9pnet.ko",
           "net/9p/9pnet_virtio.ko", "fs/9p/9p.ko", "fs/fuse/fuse.ko", "fs/fuse/virtiofs.ko")
SIZE_MIB, QUICK_SIZE_MIB = 256, 16
RANDOM_OPS, QUICK_RANDOM_OPS = 4000, 500
SYNC_OPS, QUICK_SYNC_OPS = 400, 50
RUN_TIMEOUT_S, QUICK_RUN_TIMEOUT_S = 600, 180
RESULT = re.compile(rb"diskio size_mib=\d+ (.*) verified=ok")

# key, label, unit, higher is better
ROWS = (("seq_write_mbs", "sequential write + fsync", "MB/s", True),
        ("seq_read_mbs", "sequential read", "MB/s", True),
        ("rand_read_iops", "random 4 KiB read", "IOPS", True),
        ("rand_write_iops", "random 4 KiB write (+1 fsync)", "IOPS", True),
        ("fsync_p50_us", "4 KiB write + fsync, p50", "µs", False),
        ("fsync_p99_us", "4 KiB write + fsync, p99", "µs", False))
# key, label, transport; the goal compares skiff with the Linux VM over the same transport
VARIANTS = (("skiff_9p", "skiff, 9p volume", "9p"),
            ("linux_9p", "Linux VM, 9p", "9p"),
            ("linux_virtiofs", "Linux VM, virtio-fs", "virtiofs"),
            ("skiff_blk", "skiff, --disk", "blk"),
            ("linux_blk", "Linux VM, virtio-blk", "blk"),
            ("container", "container, bind mount", "host"),
            ("process", "process, host dir", "host"))
CACHES = {
    "skiff_9p": "no guest cache (every read is a Tread); the host's page cache behind QEMU",
    "linux_9p": "cache=none: no guest page cache; the host's behind QEMU",
    "linux_virtiofs": "virtiofsd cache=none, no DAX: no guest page cache; the host's behind",
    "skiff_blk": "no guest cache; QEMU cache=writeback: the host's page cache",
    "linux_blk": "guest page cache dropped after the write (posix_fadvise DONTNEED) on the "
                 "raw /dev/vda; QEMU cache=writeback: the host's page cache",
    "container": "host page cache dropped after the write (posix_fadvise DONTNEED)",
    "process": "host page cache dropped after the write (posix_fadvise DONTNEED)",
}


class DiskBench:
    """Builds diskio for skiff and Linux, runs it in each variant `runs` times in turn,
    keeps every run's figures; a run that fails (or reads back a wrong byte) counts as a
    failure of that variant, never as a figure."""

    def __init__(self, work, accel, tsc_khz, mem, quick, runs, progress):
        self.work = os.path.join(work, "disk")
        self.accel, self.tsc_khz, self.mem, self.progress = accel, tsc_khz, mem, progress
        self.runs = runs
        self.timeout = QUICK_RUN_TIMEOUT_S if quick else RUN_TIMEOUT_S
        self.args = [str(QUICK_SIZE_MIB if quick else SIZE_MIB),
                     str(QUICK_RANDOM_OPS if quick else RANDOM_OPS),
                     str(QUICK_SYNC_OPS if quick else SYNC_OPS)]
        self.samples = {key: {row[0]: [] for row in ROWS} for key, _, _ in VARIANTS}
        self.why = {}                   # variant -> why it has no figures
        self.failures = {}

    def setup(self):
        shutil.rmtree(self.work, ignore_errors=True)
        os.makedirs(self.work)
        self.elf = bench_build.skiff_image("diskio", [SOURCE], self.work)
        self.linux_bin = bench_build.linux_static("diskio", [SOURCE], self.work)
        self.init_bin = bench_build.helper("init", self.work)
        self.kernel = self._kernel()
        if self.kernel:
            self.initrd = self.initramfs(self.linux_bin, "diskio")
        else:
            for key in ("linux_9p", "linux_virtiofs", "linux_blk"):
                self.why[key] = ("no generic Debian kernel in build/cache/linux-vm-full "
                                 "(tools/deps.sh linux-vm-full)")
        if not os.access(VIRTIOFSD, os.X_OK):
            self.why["linux_virtiofs"] = f"{VIRTIOFSD} missing (Debian qemu-system-common)"
        if not shutil.which("runc"):
            self.why["container"] = "runc missing (tools/deps.sh bench)"

    def _kernel(self):
        found = sorted(glob.glob(os.path.join(FULL_KERNEL, "*", "boot", "vmlinuz-*")))
        if not found:
            subprocess.run(["sh", os.path.join(ROOT, "tools", "deps.sh"), "linux-vm-full"],
                           stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
            found = sorted(glob.glob(os.path.join(FULL_KERNEL, "*", "boot", "vmlinuz-*")))
        return found[-1] if found else None

    def initramfs(self, app, name, www=None):
        """An initramfs of /init, /app (a static Linux program), the 9p, virtio-fs and
        virtio-blk modules in load order and www's tree as /www; its path."""
        release = os.path.basename(self.kernel)[len("vmlinuz-"):]
        base = os.path.join(os.path.dirname(os.path.dirname(self.kernel)), "lib", "modules",
                            release, "kernel")
        cpio = CpioWriter()
        cpio.directory("dev")
        cpio.char_device("dev/console", 5, 1)
        for entry, path in (("init", self.init_bin), ("app", app)):
            with open(path, "rb") as f:
                cpio.file(entry, f.read())
        if www:
            cpio.tree("www", www)
        cpio.directory("modules")
        for module in MODULES:
            with open(os.path.join(base, module), "rb") as f:
                cpio.file(f"modules/{os.path.basename(module)}", f.read(), 0o644)
        cpio.file("modules/order", "".join(os.path.basename(m) + "\n"
                                           for m in MODULES).encode(), 0o644)
        path = os.path.join(self.work, f"{name}.initramfs")
        with open(path, "wb") as f:
            f.write(bytes(cpio))
        return path

    # --- one run of each variant; each returns (stdout bytes, None) or (output, why)

    def _fresh_dir(self, key):
        path = os.path.join(self.work, f"share-{key}")
        shutil.rmtree(path, ignore_errors=True)
        os.makedirs(path)
        return path

    def _fresh_disk(self):
        path = os.path.join(self.work, "disk.img")
        if os.path.exists(path):
            os.unlink(path)
        with open(path, "wb") as f:
            f.truncate((int(self.args[0]) + 1) << 20)
        return path

    def _run(self, argv, **kw):
        try:
            r = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, timeout=self.timeout, **kw)
        except subprocess.TimeoutExpired as err:
            return err.stdout or b"", f"timed out after {self.timeout} s"
        return r.stdout, None if r.returncode == 0 else f"exit status {r.returncode}"

    def run_skiff_9p(self):
        share = self._fresh_dir("skiff_9p")
        return self._run([SKIFF, "run", "--quiet", "--mem", f"{self.mem >> 20}M", self.elf,
                          "-v", f"{share}:/data", "--", "/data/f", *self.args])

    def run_skiff_blk(self):
        return self._run([SKIFF, "run", "--quiet", "--mem", f"{self.mem >> 20}M", self.elf,
                          "--disk", self._fresh_disk(), "--", "/dev/vda", *self.args])

    def linux_on_share(self, initrd, share, args):
        """Boot the Linux VM with initrd and host folder share as a 9p share at /data (the
        mount options of the disk rows); (stdout, None) or (stdout, why)."""
        share = share.replace(",", ",,")
        return self._linux(f"9p:vol0:{P9_OPTIONS}", args[0], [
            "-fsdev", f"local,id=vol0,path={share},security_model=none",
            "-device", "virtio-9p-device,fsdev=vol0,mount_tag=vol0"],
            initrd=initrd, args=args[1:])

    def _linux(self, mount, path, devices, initrd=None, args=None):
        words = [BASE_CMDLINE, *clock_words(self.accel, self.tsc_khz), f"BENCH_MOUNT={mount}"]
        argv = qemu_command(self.kernel, mem=self.mem, machine="microvm", accel=self.accel,
                            cmdline=" ".join(words + ["--", path, *(self.args if args is None
                                                                    else args)]),
                            out_path="/proc/self/fd/1", log_path="/dev/null", devices=devices)
        out, why = self._run(argv + ["-initrd", initrd or self.initrd])
        found = INIT_EXIT.findall(out)
        if why is None and (not found or int(found[-1]) != 0):
            why = f"the app exited with status {int(found[-1])}" if found else "no exit line"
        return out, why

    def run_linux_9p(self):
        return self.linux_on_share(self.initrd, self._fresh_dir("linux_9p"),
                                   ["/data/f", *self.args])

    def run_linux_blk(self):
        disk = self._fresh_disk().replace(",", ",,")
        return self._linux("dev", "/dev/vda", [
            "-drive", f"file={disk},format=raw,if=none,id=disk0,cache=writeback",
            "-device", "virtio-blk-device,drive=disk0"])

    def run_linux_virtiofs(self):
        share = self._fresh_dir("linux_virtiofs")
        sock = os.path.join(self.work, "virtiofsd.sock")
        if os.path.exists(sock):
            os.unlink(sock)
        daemon = subprocess.Popen([VIRTIOFSD, f"--socket-path={sock}", "-o",
                                   f"source={share}", "-o", "cache=none"],
                                  stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL)
        try:
            for _ in range(100):
                if os.path.exists(sock) or daemon.poll() is not None:
                    break
                time.sleep(0.05)
            if not os.path.exists(sock):
                return b"", "virtiofsd did not start"
            mem = f"{self.mem >> 20}M"
            # libvhost-user (virtiofsd) serves no legacy virtio: modern virtio-mmio
            return self._linux("virtiofs:vfs0:", "/data/f", [
                "-global", "virtio-mmio.force-legacy=false", "-object", f"memory-backend-memfd,id=mem,size={mem},share=on",
                "-machine", "memory-backend=mem",
                "-chardev", f"socket,id=vfs,path={sock}",
                "-device", "vhost-user-fs-device,chardev=vfs,tag=vfs0"])
        finally:
            if daemon.poll() is None:
                daemon.send_signal(signal.SIGTERM)
            try:
                daemon.wait(timeout=10)
            except subprocess.TimeoutExpired:
                daemon.kill()
                daemon.wait()

    def run_process(self):
        share = self._fresh_dir("process")
        return self._run([self.linux_bin, os.path.join(share, "f"), *self.args])

    def run_container(self):
        share = self._fresh_dir("container")
        bundle = os.path.join(self.work, "bundle")
        shutil.rmtree(bundle, ignore_errors=True)
        os.makedirs(os.path.join(bundle, "rootfs", "data"))
        shutil.copy2(self.linux_bin, os.path.join(bundle, "rootfs", "app"))
        out, why = self._run(["runc", "spec", "--bundle", bundle])
        if why:
            return out, f"runc spec: {why}"
        path = os.path.join(bundle, "config.json")
        with open(path) as f:
            config = json.load(f)
        config["process"]["terminal"] = False
        config["process"]["args"] = ["/app", "/data/f", *self.args]
        config["root"]["readonly"] = True
        config["mounts"].append({"destination": "/data", "type": "bind", "source": share,
                                 "options": ["rbind", "rw"]})
        with open(path, "w") as f:
            json.dump(config, f)
        state = os.path.join(self.work, "runc-state")
        name = f"skiff-diskio-{os.getpid()}"
        try:
            return self._run(["runc", "--root", state, "run", "--bundle", bundle, name])
        finally:
            subprocess.run(["runc", "--root", state, "delete", "--force", name],
                           stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)

    def measure(self):
        """runs rounds of every variant in turn; each run's figures or its failure."""
        for rnd in range(1, self.runs + 1):
            for key, label, _ in VARIANTS:
                if key in self.why:
                    continue
                self.progress(f"disk I/O ({self.args[0]} MiB): run {rnd}/{self.runs}: {label}")
                out, why = getattr(self, f"run_{key}")()
                found = RESULT.search(out)
                if why is None and not found:
                    why = "no verified result line"
                if why:
                    tail = out.decode(errors="replace").strip().splitlines()[-1:] or [""]
                    self.failures.setdefault(key, []).append(f"{why}: {tail[0][:160]}")
                    continue
                for word in found.group(1).decode().split():
                    name, value = word.split("=")
                    if name in self.samples[key]:
                        self.samples[key][name].append(float(value))

    def variants(self):
        return VARIANTS

    def cell(self, key, row):
        return median_range(self.samples[key][row])

    def goals(self):
        """skiff >= the Linux VM over the same transport, per row: (row, transport, met)."""
        out = []
        for row, _, _, higher in ROWS:
            for mine, theirs, transport in (("skiff_9p", "linux_9p", "9p"),
                                            ("skiff_blk", "linux_blk", "virtio-blk")):
                a, b = self.cell(mine, row), self.cell(theirs, row)
                if a and b:
                    met = a["median"] >= b["median"] if higher else a["median"] <= b["median"]
                    out.append((row, transport, met, a["median"] / b["median"]))
        return out

    def as_json(self):
        return {"size_mib": int(self.args[0]), "random_ops": int(self.args[1]),
                "sync_ops": int(self.args[2]), "runs": self.runs, "msize": MSIZE,
                "variants": {key: label for key, label, _ in VARIANTS},
                "caches": CACHES, "unavailable": self.why, "failures": self.failures,
                "cells": {row: {key: self.cell(key, row) for key, _, _ in VARIANTS}
                          for row, _, _, _ in ROWS},
                "goals": [{"row": r, "transport": t, "met": m, "ratio": q}
                          for r, t, m, q in self.goals()]}

    def markdown(self):
        lines = [f"\n### disk I/O ({self.args[0]} MiB file, {self.args[1]} random ops, "
                 f"{self.args[2]} fsyncs, median of {self.runs})\n",
                 "| | " + " | ".join(label for _, label, _ in VARIANTS) + " |",
                 "|---|" + "---:|" * len(VARIANTS)]
        for row, label, unit, _ in ROWS:
            cells = []
            for key, _, _ in VARIANTS:
                c = self.cell(key, row)
                cells.append(_fmt(c["median"]) if c else "—")
            lines.append(f"| {label} ({unit}) | " + " | ".join(cells) + " |")
        lines.append("")
        for row, transport, met, ratio in self.goals():
            lines.append(f"- goal skiff ≥ Linux VM over {transport}, {row}: "
                         f"{'met' if met else 'NOT met'} ({ratio:.2f}x)")
        for key, why in self.why.items():
            lines.append(f"- {key}: unavailable: {why}")
        for key, whys in self.failures.items():
            lines.append(f"- {key}: {len(whys)} failed run(s): {whys[0]}")
        for key, what in CACHES.items():
            lines.append(f"- caches, {key}: {what}")
        return "\n".join(lines) + "\n"


def _fmt(x):
    return f"{x:,.0f}" if x >= 100 else f"{x:.1f}"


def disk_io(session):
    """The disk I/O row set for cmd_bench: measure, write disk.json, return the Markdown."""
    bench = DiskBench(session.work, session.host["accel"], session.host["tsc_khz"],
                      session.mem, session.quick, 1 if session.quick else min(session.runs, 3),
                      session.progress)
    bench.setup()
    bench.measure()
    with open(os.path.join(session.out_dir, "disk.json"), "w") as f:
        json.dump(bench.as_json(), f, indent=1)
    chart, why = bench_diskchart.draw(bench, session.out_dir,
                                      f"skiff bench: disk I/O, {bench.args[0]} MiB file, "
                                      f"{session.host['accel']}")
    shown = os.path.relpath(chart, ROOT) if chart else f"no chart: {why}"
    return bench.markdown() + f"- chart: {shown}\n"


def run_section(session):
    """The report's disk I/O section. Left out of a plain --quick run (CI's time budget:
    about a minute more); `skiff bench --quick --only disk` runs it quick."""
    section = SECTION
    if session.quick and not (session.only and "disk" in session.only.split(",")):
        section.extra = ["Left out of `--quick` (about a minute more); "
                         "`tools/skiff bench --quick --only disk` runs it."]
        return
    section.extra = disk_io(session).splitlines()


SECTION = Section(
    key="disk", title="Disk I/O", metrics=[], run=run_section, chart=None,
    method="apps/bench/diskio.c on a 9p volume (skiff, Linux VM; the Linux VM also on "
           "virtio-fs), on virtio-blk (skiff --disk, Linux VM), in runc with a bind mount and "
           "as a host process: sequential write ended by fsync and read, random 4 KiB reads "
           "and writes, write+fsync latency; every byte read back is checked")
register(SECTION)
