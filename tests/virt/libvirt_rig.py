"""A private libvirtd for the libvirt tests: started once per session, stopped by PID at exit.

libvirtd runs privileged (root), its sockets in a private folder (unix_sock_dir), its
PID files there too, so a session URI qemu:///system?socket=... reaches only this one.
What a container-less Debian lacks is created first: /var/run/libvirt, /var/log/libvirt,
the groups `kvm` and `libvirt-qemu` and the user `libvirt-qemu` (Debian's QEMU user).
virtlogd runs beside it (QEMU's stdio goes through it). Where /dev/kvm exists but cannot
run guests, libvirtd runs in its own mount namespace with /dev/kvm masked. Domains run as libvirt-qemu, so
the tests' folders are world-readable (and writable where QEMU writes a --log file)."""
import atexit
import functools
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SKIFF = os.path.join(ROOT, "tools", "skiff")
OUT = os.path.join(ROOT, "build", "tests", "virt")
NEEDED = ("libvirtd", "virtlogd", "virsh")
PACKAGES = "libvirt-daemon libvirt-daemon-driver-qemu libvirt-clients"
START_TIMEOUT = 30
DOMAIN_TIMEOUT = 240       # one TCG boot under libvirt; OVMF boots take longer


class Unavailable(Exception):
    """libvirtd cannot run here; the message says why (the tests skip with it)."""


def _run(*argv, check=True):
    result = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, text=True)
    if check and result.returncode != 0:
        raise Unavailable(f"{' '.join(argv)} failed: {result.stderr.strip()}")
    return result


def _ensure_accounts():
    for group in ("kvm", "libvirt-qemu"):
        if _run("getent", "group", group, check=False).returncode != 0:
            _run("groupadd", "--system", group)
    if _run("getent", "passwd", "libvirt-qemu", check=False).returncode != 0:
        _run("useradd", "--system", "--gid", "libvirt-qemu", "--groups", "kvm",
             "--home-dir", "/var/lib/libvirt", "--no-create-home",
             "--shell", "/usr/sbin/nologin", "libvirt-qemu")
    for folder in ("/var/run/libvirt", "/var/log/libvirt"):
        os.makedirs(folder, exist_ok=True)


def _accel():
    """skiff's own verdict (tools/skiffpy/accel.py): kvm or tcg."""
    sys.path.insert(0, os.path.join(ROOT, "tools"))
    from skiffpy import accel
    return accel.choose(quiet=True)


def _read_pid(path):
    try:
        with open(path) as f:
            return int(f.read().strip())
    except (OSError, ValueError):
        return None


class Libvirtd:
    """The daemon pair and its URI; stop() ends both by the PIDs they wrote."""

    def __init__(self):
        missing = [tool for tool in NEEDED if shutil.which(tool) is None]
        if missing:
            raise Unavailable(f"{', '.join(missing)} not found: install {PACKAGES}")
        if os.geteuid() != 0:
            raise Unavailable("a privileged libvirtd needs root")
        _ensure_accounts()
        self.dir = tempfile.mkdtemp(prefix="skiff-libvirt-")
        os.chmod(self.dir, 0o755)
        self.pids = []
        conf = os.path.join(self.dir, "libvirtd.conf")
        with open(conf, "w") as f:
            f.write(f'unix_sock_dir = "{self.dir}"\nauth_unix_rw = "none"\n'
                    'auth_unix_ro = "none"\n')
        self.uri = f"qemu:///system?socket={self.dir}/libvirt-sock"
        self.log = os.path.join(self.dir, "libvirtd.log")
        atexit.register(self.stop)
        self._start(["virtlogd", "-d", "-p", os.path.join(self.dir, "virtlogd.pid")],
                    os.path.join(self.dir, "virtlogd.pid"))
        libvirtd = ["libvirtd", "-d", "-f", conf, "-p", os.path.join(self.dir, "libvirtd.pid")]
        if os.path.exists("/dev/kvm") and _accel() == "tcg":
            # A /dev/kvm that cannot run guests (nested PVM here) makes libvirt 9.0 probe
            # QEMU's capabilities again at every domain start (~50 s under TCG): the
            # daemon gets its own mount namespace with /dev/kvm masked.
            libvirtd = ["unshare", "--mount", "--propagation", "private", "sh", "-c",
                        'mount --bind /dev/null /dev/kvm && exec "$@"', "sh", *libvirtd]
        self._start(libvirtd, os.path.join(self.dir, "libvirtd.pid"))
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.virsh("list", check=False).returncode == 0:
                return
            time.sleep(0.5)
        raise Unavailable(f"libvirtd did not answer at {self.uri} within {START_TIMEOUT} s")

    def _start(self, argv, pid_file):
        with open(self.log, "a") as log:
            result = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=log, stderr=log)
        deadline = time.monotonic() + START_TIMEOUT
        pid = None
        while pid is None and time.monotonic() < deadline:
            pid = _read_pid(pid_file)
            if pid is None:
                time.sleep(0.1)
        if result.returncode != 0 or pid is None:
            raise Unavailable(f"{argv[0]} did not start (status {result.returncode}); "
                              f"see {self.log}")
        self.pids.append(pid)

    def stop(self):
        for pid in reversed(self.pids):
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                continue
            for _ in range(100):
                try:
                    os.kill(pid, 0)
                except ProcessLookupError:
                    break
                time.sleep(0.05)
            else:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
        self.pids = []
        shutil.rmtree(self.dir, ignore_errors=True)

    def virsh(self, *args, check=True):
        result = subprocess.run(["virsh", "-q", "-c", self.uri, *args], stdin=subprocess.DEVNULL,
                                capture_output=True, text=True, timeout=120)
        assert not check or result.returncode == 0, \
            f"virsh {' '.join(args)}: status {result.returncode}: {result.stderr.strip()}"
        return result

    def running(self, name):
        return name in self.virsh("list", "--name").stdout.split()

    def wait_gone(self, name, timeout=DOMAIN_TIMEOUT):
        """True once the transient domain has ended (the guest powered off)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.running(name):
                return True
            time.sleep(0.5)
        return False

    def destroy(self, name):
        if self.running(name):
            self.virsh("destroy", name, check=False)


@functools.lru_cache(maxsize=None)
def _daemon():
    try:
        return Libvirtd()
    except Unavailable as err:
        return err


def daemon():
    """The session's libvirtd, or None after printing why the test is skipped."""
    got = _daemon()
    if isinstance(got, Unavailable):
        print(f"SKIP: libvirtd cannot run here: {got}")
        return None
    return got


def workdir(name):
    """A fresh folder QEMU (user libvirt-qemu) can read and write."""
    path = os.path.join(OUT, name)
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path)
    for folder in (ROOT, os.path.join(ROOT, "build"), os.path.join(ROOT, "build", "tests"), OUT):
        os.chmod(folder, os.stat(folder).st_mode | 0o005)   # traversable by libvirt-qemu
    os.chmod(path, 0o1777)
    return path


def skiff(*args, timeout=300, env=None):
    full = dict(os.environ, SKIFF_ACCEL="tcg")
    full.update(env or {})
    return subprocess.run([sys.executable, SKIFF, *args], env=full, stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=timeout)


def build(name, sources, suffix=".elf", app_args=()):
    """Build sources (relative to the repo) as build/tests/virt/images/NAME+suffix,
    app_args baked in (.qcow2, .oci.tar)."""
    out = os.path.join(OUT, "images", name + suffix)
    os.makedirs(os.path.dirname(out), exist_ok=True)
    if os.path.exists(out) and suffix != ".elf":
        os.unlink(out)           # qcow2/OCI outputs refuse to overwrite
    result = skiff("build", *[os.path.join(ROOT, s) for s in sources], "-o", out, "-q",
                   *(["--", *app_args] if app_args else []))
    assert result.returncode == 0, f"building {out} failed:\n{result.stdout}{result.stderr}"
    return out


OVMF_CODE = "/usr/share/OVMF/OVMF_CODE_4M.fd"
OVMF_VARS = "/usr/share/OVMF/OVMF_VARS_4M.fd"


def nova_like_domain(name, disk, console, nvram, mem_mib=256):
    """A domain as OpenStack Nova's libvirt driver writes one for an image with
    hw_firmware_type=uefi, hw_machine_type=q35, a virtio disk and a DHCP network:
    OVMF in pflash with a per-instance NVRAM copy, the qcow2 as the boot disk, the
    serial console logged to a file (Nova's console.log), user-mode NAT with DHCP."""
    return f"""<domain type='qemu'>
  <name>{name}</name>
  <memory unit='MiB'>{mem_mib}</memory>
  <vcpu>1</vcpu>
  <os>
    <type arch='x86_64' machine='q35'>hvm</type>
    <loader readonly='yes' type='pflash'>{OVMF_CODE}</loader>
    <nvram template='{OVMF_VARS}'>{nvram}</nvram>
    <boot dev='hd'/>
  </os>
  <features><acpi/><apic/></features>
  <cpu mode='maximum'/>
  <clock offset='utc'/>
  <on_poweroff>destroy</on_poweroff>
  <on_reboot>destroy</on_reboot>
  <on_crash>destroy</on_crash>
  <devices>
    <disk type='file' device='disk'>
      <driver name='qemu' type='qcow2' cache='none'/>
      <source file='{disk}'/>
      <target dev='vda' bus='virtio'/>
    </disk>
    <interface type='user'><model type='virtio'/></interface>
    <serial type='file'><source path='{console}'/><target port='0'/></serial>
    <controller type='usb' model='none'/>
    <memballoon model='none'/>
  </devices>
</domain>
"""


def boot_disk(lv, name, disk, work):
    """Boot a qcow2 the Nova way; wait for the guest to power off; return its console."""
    console = os.path.join(work, "console.log")
    xml = os.path.join(work, "domain.xml")
    with open(xml, "w") as f:
        f.write(nova_like_domain(name, disk, console, os.path.join(work, "vars.fd")))
    lv.virsh("create", xml)
    try:
        gone = lv.wait_gone(name)
    finally:
        lv.destroy(name)
    text = open(console, errors="replace").read() if os.path.exists(console) else ""
    assert gone, f"the domain did not end within {DOMAIN_TIMEOUT} s; console:\n{text}"
    return text
