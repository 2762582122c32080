"""drivers/: virtio-net and virtio-blk over virtio-mmio (microvm) and virtio-pci (q35, pc).

The guests are driver tests, not apps: tests/drivers/*.c call the netdev/blkdev API
directly (built with `make app`, include/ on their include path) and are booted by
`skiff run` through tests/drivers/qemu-extra, which appends
$SKIFF_TEST_QEMU_ARGS (the devices) to QEMU's command line. Network traffic stays
inside QEMU (slirp answers ARP for 10.0.2.2) or inside a network namespace made here.
"""
import functools
import os
import shutil
import subprocess
import sys
import tempfile
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import cli_support  # noqa: E402

ROOT = cli_support.ROOT
OUT = os.path.join(ROOT, "build", "tests", "drivers")
QEMU_EXTRA = os.path.join(ROOT, "tests", "drivers", "qemu-extra")
NET = "-netdev user,id=n0 -device virtio-net-{},netdev=n0"
DISK = "-drive file={},format=raw,if=none,id=d0 -device virtio-blk-{},drive=d0"


@functools.lru_cache(maxsize=None)
def build(name, source):
    """Link tests/drivers/SOURCE like an app (mk/app.mk links libdrivers.a), with
    include/ on its include path for the netdev/blkdev API."""
    out = os.path.join(OUT, name + ".elf")
    if os.path.exists(out):
        os.remove(out)
    subprocess.run(["make", "-s", "--no-print-directory", "-C", ROOT, "app",
                    f"APP_NAME=drv_{name}", f"APP_SRCS={ROOT}/tests/drivers/{source}",
                    f"APP_EXTRA_CFLAGS=-I{ROOT}/include", f"APP_OUT={out}"],
                   check=True, timeout=600)
    return out


def boot(image, devices, *args, machine="microvm", timeout=60, wrap=()):
    """skiff run IMAGE with extra QEMU devices; returns (status, stdout, stderr) as text."""
    env = cli_support.skiff_env(SKIFF_QEMU=QEMU_EXTRA, SKIFF_TEST_QEMU_ARGS=devices)
    cmd = [*wrap, sys.executable, cli_support.SKIFF, "run", image, "--machine", machine,
           "--append", "bootstat", "--timeout", str(timeout - 10), "--", *args]
    r = subprocess.run(cmd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=timeout)
    out, err = r.stdout.decode(errors="replace"), r.stderr.decode(errors="replace")
    print(f"$ {' '.join(args)} [{machine}: {devices}]\n{out}{err}")
    return r.returncode, out, err


def passed(result, *needles):
    status, out, err = result
    assert status == 0 and "SUCCESS" in out, f"status {status}: {out[-400:]}"
    for n in needles:
        assert n in out + err, f"missing {n!r}"


def test_virtio_net_mmio_legacy_modern_and_acpi_off():
    image = build("net", "net_arp.c")
    # QEMU 7.2 microvm: skiff run's machine has no ACPI tables (acpi=off), where slot i
    # is GSI 5 + i (the first device, skiff run's console link, lands in slot 7, the NIC
    # in 6). With ACPI on and a second IOAPIC slot i is at GSI 24 + i (slots 23 and 22).
    passed(boot(image, NET.format("device")), "virtio legacy device 1, gsi 11 level",
           "ok in-place frame from the heap", "ok burst: 600 of 600")
    passed(boot(image, NET.format("device") + " -global virtio-mmio.force-legacy=false"),
           "virtio modern device 1, gsi 11 level")
    passed(boot(image, NET.format("device") + " -M microvm,acpi=on"),
           "virtio legacy device 1, gsi 46 level")
    passed(boot(image, NET.format("device") + " -M microvm,acpi=on,ioapic2=off"),
           "virtio legacy device 1, gsi 22 level")


def test_virtio_net_copy_mode():
    image = build("net", "net_arp.c")
    passed(boot(image, NET.format("device"), "copy"), "600 of 600 replies, 0 tx_done calls")


def test_virtio_blk_mmio_round_trip_and_persistence():
    image = build("blk", "blk_rw.c")
    with tempfile.TemporaryDirectory() as tmp:
        disk = os.path.join(tmp, "disk.img")
        with open(disk, "wb") as f:
            f.truncate(8 << 20)
        passed(boot(image, DISK.format(disk, "device")), "vda: 16384 sectors of 512 bytes",
               "ok round trips", "ok flush (0)", "ok 4 threads")
        passed(boot(image, DISK.format(disk, "device"), "write", "9"), "write SUCCESS")
        passed(boot(image, DISK.format(disk, "device"), "verify", "9"), "verify SUCCESS")
        with open(disk, "rb") as f:
            f.seek(4096 * 512)
            data = f.read(64 * 512)
        want = bytes(((4096 + i // 512) * 131 + (i % 512) * 7 + 9) & 255 for i in range(len(data)))
        assert data == want, "the host does not see what the guest wrote"


def test_virtio_blk_read_only():
    image = build("blk", "blk_rw.c")
    with tempfile.TemporaryDirectory() as tmp:
        disk = os.path.join(tmp, "disk.img")
        with open(disk, "wb") as f:
            f.truncate(1 << 20)
        passed(boot(image, DISK.format(disk, "device").replace("id=d0", "id=d0,readonly=on"),
                    "readonly"), "features 0x3", "readonly SUCCESS")


def test_virtio_pci_q35_modern_msix_and_pc_legacy_intx():
    net = build("net", "net_arp.c")
    passed(boot(net, NET.format("pci"), machine="q35", timeout=120),
           "virtio modern device 1, msi-x vector 56", "ok burst: 600 of 600",
           # the console link attaches its interrupt only when it first waits for the host
           "virtio modern device 3, interrupt attached when first waited for")
    blk = build("blk", "blk_rw.c")
    with tempfile.TemporaryDirectory() as tmp:
        disk = os.path.join(tmp, "disk.img")
        with open(disk, "wb") as f:
            f.truncate(8 << 20)
        passed(boot(blk, DISK.format(disk, "pci") + ",disable-modern=on,vectors=0",
                    machine="pc", timeout=120), "virtio legacy device 2, intx gsi")


def test_images_link_only_the_drivers_they_use():
    def symbols(image):
        return subprocess.run(["nm", image + ".debug"], check=True, stdout=subprocess.PIPE,
                              text=True).stdout
    net, blk = symbols(build("net", "net_arp.c")), symbols(build("blk", "blk_rw.c"))
    assert "virtio_net_attach" in net and "virtio_blk_attach" not in net
    assert "virtio_blk_attach" in blk and "virtio_net_attach" not in blk


def test_virtio_net_tap_checksum_offload():
    """TX checksum offload and RX partial checksums need a tap with vnet headers (slirp
    offers neither): a namespace with tap0 = 10.9.0.1, made and deleted here."""
    if os.geteuid() != 0 or not shutil.which("ip") or not os.path.exists("/dev/net/tun"):
        print("skipped: needs root, ip and /dev/net/tun")
        return
    image = build("csum", "net_csum.c")
    ns = "skdrv-" + uuid.uuid4().hex[:8]
    netns = ["ip", "netns", "exec", ns]
    subprocess.run(["ip", "netns", "add", ns], check=True)
    try:
        for cmd in (["ip", "tuntap", "add", "dev", "tap0", "mode", "tap", "vnet_hdr"],
                    ["ip", "addr", "add", "10.9.0.1/24", "dev", "tap0"],
                    ["ip", "link", "set", "tap0", "up"]):
            subprocess.run(netns + cmd, check=True)
        # The host connects to the guest: Linux hands that SYN over with a partial checksum.
        client = subprocess.Popen(netns + [sys.executable, "-c",
                                           "import socket\ns = socket.socket()\ns.settimeout(20)\n"
                                           "try: s.connect(('10.9.0.2', 7))\nexcept OSError: pass"])
        try:
            passed(boot(image, "-netdev tap,id=n0,ifname=tap0,script=no,downscript=no,"
                        "vnet_hdr=on -device virtio-net-device,netdev=n0", wrap=netns),
                   "features 0x7", "ok answer to SYN: flags 0x14", "ok host's SYN")
        finally:
            client.kill()
            client.wait()
    finally:
        subprocess.run(["ip", "netns", "del", ns])


def test_failed_attach_tears_down_and_others_work():
    """The device table holds 4 NICs: the 5th fails at its last attach step (netdev_register)
    and unwinds every earlier one (IRQ, transmit slots, rings, FAILED + reset); net0 works.
    The 5 attached devices are 4 NICs and skiff run's console link."""
    image = build("net", "net_arp.c")
    devices = " ".join(f"-netdev user,id=n{i} -device virtio-net-device,netdev=n{i}"
                       for i in range(5))
    passed(boot(image, devices), "attach failed (-28)", "5 device(s) via virtio-mmio",
           "ok burst: 600 of 600")


def _set_link(qmp_path, up_states):
    """set_link n0 to each state in turn over QEMU's QMP socket (a busy QEMU may drop
    the first connection: try a few times)."""
    import time
    for attempt in range(5):
        try:
            return _set_link_once(qmp_path, up_states)
        except ConnectionError:
            if attempt == 4:
                raise
            time.sleep(0.2)


def _set_link_once(qmp_path, up_states):
    import json
    import socket
    with socket.socket(socket.AF_UNIX) as s:
        s.connect(qmp_path)
        with s.makefile("rw") as f:
            f.readline()
            cmds = [{"execute": "qmp_capabilities"}] + [
                {"execute": "set_link", "arguments": {"name": "n0", "up": up}} for up in up_states]
            for cmd in cmds:
                f.write(json.dumps(cmd) + "\n")
                f.flush()
                assert "return" in f.readline()


def test_virtio_net_link_status_mmio_and_pci():
    """The guest prints "ready" once its device runs; then the link goes down, and once the
    guest has seen that, up again."""
    image = build("link", "net_link.c")
    for machine, transport in (("microvm", "device"), ("q35", "pci")):
        with tempfile.TemporaryDirectory() as tmp:
            qmp = os.path.join(tmp, "qmp.sock")
            devices = NET.format(transport) + f" -qmp unix:{qmp},server=on,wait=off"
            env = cli_support.skiff_env(SKIFF_QEMU=QEMU_EXTRA, SKIFF_TEST_QEMU_ARGS=devices)
            proc = subprocess.Popen([sys.executable, cli_support.SKIFF, "run", image, "--machine",
                                     machine, "--timeout", "50"], env=env,
                                    stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, text=True)
            try:
                first = proc.stdout.readline()
                assert first.startswith("ready"), first
                _set_link(qmp, (False,))
                down = proc.stdout.readline()
                assert down == "link down\n", down
                _set_link(qmp, (True,))
                rest = proc.stdout.read()
                assert proc.wait(timeout=60) == 0, first + rest
                assert "link events: 0 then 1" in rest and "SUCCESS" in rest, rest
            finally:
                if proc.poll() is None:
                    proc.kill()
                    proc.wait()
