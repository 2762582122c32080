"""A libvirt domain (XML) that boots a skiff PVH image on q35 the way `skiff run` does.

libvirt 9.0 refuses microvm ("No PCI buses available"), so the domain is q35 with direct
kernel boot (<kernel>, <cmdline>) and virtio-pci devices. What `skiff run` gets from
QEMU options libvirt has no element for:
  - isa-debug-exit: none; the kernel powers off through ACPI S5 instead (<acpi/>), and
    libvirt destroys the transient domain (<on_poweroff>destroy</on_poweroff>). The app's
    exit status is the kernel's last log line, `skiff: exit N`.
  - isa-debugcon (the kernel log): the kernel finds no debugcon and writes its log to
    COM1, the domain's serial console; or, with log_path, a <qemu:commandline> passthrough
    adds a debugcon writing to that file (stdout and the log then stay apart).
  - the console link (virtio-serial to skiff run's socket): none; the guest falls back to
    COM1 for stdout, the log port for stderr, stdin at end of file.
  - the host time service on COM2: none; the kernel falls back to the RTC.
  - --port forwards: libvirt 9.0 expresses them only with the passt backend
    (<backend type='passt'/> with <portForward>), and Debian 12's libvirt 9.0.0-4 rejects
    that element ("XML error: Invalid value for attribute 'type' in element 'backend':
    'passt'"). So with forwards the NIC is QEMU's own user-mode netdev with hostfwd, in a
    <qemu:commandline> passthrough; without forwards it is libvirt's <interface type='user'>.
"""
import xml.etree.ElementTree as ET

from .qemu import LOG_PORT

QEMU_NS = "http://libvirt.org/schemas/domain/qemu/1.0"


def _sub(parent, tag, text=None, **attrs):
    node = ET.SubElement(parent, tag, {k.rstrip("_"): str(v) for k, v in attrs.items()})
    if text is not None:
        node.text = text
    return node


def domain_xml(*, name, kernel, cmdline, mem_bytes, virt_type="qemu", machine="q35",
               console=None, log_path=None, net=("none", None), forwards=(), disk=None,
               shares=(), vcpus=1):
    """The <domain> document. console: None for a pty (virsh console), else a file path.
    net: devices.net_mode's (mode, detail). forwards: (proto, hostport, guestport).
    vcpus: skiff run's --cpus. shares: volumes.volumes' (host, guest, readonly), shared over virtio-9p with the mount
    tags skiff run gives them (skiffvol<i>; the command line's vol= words name the guest
    paths). accessmode squash is QEMU's security_model=none, which skiff run uses: QEMU
    changes no owner (passthrough would chown files, which libvirt's unprivileged QEMU
    user cannot)."""
    ET.register_namespace("qemu", QEMU_NS)
    dom = ET.Element("domain", {"type": virt_type})
    _sub(dom, "name", name)
    _sub(dom, "memory", str(-(-mem_bytes // 1024)), unit="KiB")
    _sub(dom, "vcpu", str(vcpus))     # the kernel finds them in the ACPI MADT
    os_ = _sub(dom, "os")
    _sub(os_, "type", "hvm", arch="x86_64", machine=machine)
    _sub(os_, "kernel", kernel)
    _sub(os_, "cmdline", cmdline)
    _sub(_sub(dom, "features"), "acpi")
    if virt_type == "kvm":
        _sub(dom, "cpu", mode="host-passthrough")
    else:
        _sub(dom, "cpu", mode="maximum")       # TCG's `-cpu max`, as skiff run uses
    _sub(dom, "clock", offset="utc")
    for event in ("on_poweroff", "on_reboot", "on_crash"):
        _sub(dom, event, "destroy")           # skiff run's -no-reboot: the VM ends there
    devices = _sub(dom, "devices")
    _sub(devices, "controller", type="usb", model="none")
    if console is None:
        serial = _sub(devices, "serial", type="pty")
        _sub(serial, "target", port="0")
        _sub(_sub(devices, "console", type="pty"), "target", type="serial", port="0")
    else:
        serial = _sub(devices, "serial", type="file")
        _sub(serial, "source", path=console)
        _sub(serial, "target", port="0")
    _interface(devices, net, forwards)
    if disk:
        d = _sub(devices, "disk", type="file", device="disk")
        _sub(d, "driver", name="qemu", type="raw", cache="writeback")
        _sub(d, "source", file=disk)
        _sub(d, "target", dev="vda", bus="virtio")
    for i, (host, _, readonly) in enumerate(shares):
        fs = _sub(devices, "filesystem", type="mount", accessmode="squash")
        _sub(fs, "driver", type="path")
        _sub(fs, "source", dir=host)
        _sub(fs, "target", dir=f"skiffvol{i}")
        if readonly:
            _sub(fs, "readonly")
    _sub(devices, "memballoon", model="none")
    passthrough = []
    if log_path:
        passthrough += ["-chardev", f"file,id=skifflog,path={log_path.replace(',', ',,')}",
                        "-device", f"isa-debugcon,iobase={LOG_PORT:#x},chardev=skifflog"]
    if net[0] == "user" and forwards:
        passthrough += ["-netdev", "user,id=skiffnet0" + "".join(
            f",hostfwd={proto}:127.0.0.1:{host}-:{guest}" for proto, host, guest in forwards),
            # a fixed slot: libvirt numbers its own devices from slot 1 after these args
            "-device", "virtio-net-pci,netdev=skiffnet0,bus=pcie.0,addr=0x1b"]
    if passthrough:
        cmd = ET.SubElement(dom, f"{{{QEMU_NS}}}commandline")
        for arg in passthrough:
            ET.SubElement(cmd, f"{{{QEMU_NS}}}arg", {"value": arg})
    ET.indent(dom)
    return ET.tostring(dom, encoding="unicode") + "\n"


def _interface(devices, net, forwards):
    mode, detail = net
    if mode == "none":
        return
    if mode == "user":
        if forwards:
            return                             # the <qemu:commandline> netdev above
        iface = _sub(devices, "interface", type="user")
    elif mode == "tap":
        iface = _sub(devices, "interface", type="ethernet")
        _sub(iface, "target", dev=detail, managed="no")
    else:                                      # udp: raw frames over 127.0.0.1
        local, remote = detail
        iface = _sub(devices, "interface", type="udp")
        src = _sub(iface, "source", address="127.0.0.1", port=str(remote))
        _sub(src, "local", address="127.0.0.1", port=str(local))
    _sub(iface, "model", type="virtio")
