"""skiff virt-xml's domain and its refusals, and the .qcow2/.oci.tar outputs' bad input (no libvirtd needed)."""
import os
import shlex
import shutil
import xml.etree.ElementTree as ET

from cli_support import image, scratch_dir, skiff, skiff_env


def _one_line(result, status, *needles):
    err = result.stderr.decode()
    assert result.returncode == status, (result.returncode, err)
    assert err.count("\n") == 1, err
    for needle in needles:
        assert needle in err, err
    return err


def test_domain_carries_skiff_runs_command_line_memory_and_machine():
    trivial = image("trivial")
    args = ["--mem", "48M", "-e", "A=b c", "--hostname", "box", "--", "x y", "", 'q"t']
    got = skiff("virt-xml", trivial, "--name", "t1", *args)
    assert got.returncode == 0, got.stderr
    dom = ET.fromstring(got.stdout)
    assert dom.get("type") in ("qemu", "kvm")
    assert dom.findtext("name") == "t1"
    assert dom.find("memory").get("unit") == "KiB" and dom.findtext("memory") == str(48 * 1024)
    assert dom.find("os/type").get("machine") == "q35"
    assert dom.findtext("os/kernel") == os.path.abspath(trivial)
    assert dom.findtext("on_poweroff") == "destroy" and dom.find("features/acpi") is not None
    dry = skiff("run", trivial, "--dry-run", *args)
    argv = shlex.split(dry.stdout.decode())
    assert dom.findtext("os/cmdline") == argv[argv.index("-append") + 1]   # the same words
    assert dom.find("devices/console").get("type") == "pty"
    assert dom.find("devices/interface") is None       # trivial has no network stack


def test_cpus_become_vcpus():
    trivial = image("trivial")
    for cpus, want in ((None, "1"), ("2", "2"), ("16", "16")):
        got = skiff("virt-xml", trivial, *(["--cpus", cpus] if cpus else []))
        assert got.returncode == 0, got.stderr
        assert ET.fromstring(got.stdout).findtext("vcpu") == want, got.stdout
    _one_line(skiff("virt-xml", trivial, "--cpus", "17"), 2, "--cpus")


def test_console_file_and_log_passthrough():
    trivial = image("trivial")
    folder = scratch_dir()
    got = skiff("virt-xml", trivial, "--console", os.path.join(folder, "c"),
                "--log", os.path.join(folder, "l"))
    assert got.returncode == 0, got.stderr
    dom = ET.fromstring(got.stdout)
    assert dom.find("devices/serial/source").get("path") == os.path.join(folder, "c")
    ns = "{http://libvirt.org/schemas/domain/qemu/1.0}"
    values = [a.get("value") for a in dom.iter(f"{ns}arg")]
    assert f"file,id=skifflog,path={os.path.join(folder, 'l')}" in values, values
    assert "isa-debugcon,iobase=0xe9,chardev=skifflog" in values, values


def test_missing_and_non_skiff_images():
    _one_line(skiff("virt-xml", os.path.join(scratch_dir(), "nope.elf")), 125, "nope.elf")
    junk = os.path.join(scratch_dir(), "junk.elf")
    with open(junk, "wb") as f:
        f.write(b"not an image at all\n" * 10)
    _one_line(skiff("virt-xml", junk), 125, "not a skiff image")


def test_options_libvirt_cannot_express():
    trivial = image("trivial")
    for extra, needle in ((["--timeout", "5"], "--timeout: libvirt cannot express"),
                          (["--gdb", "1234"], "--gdb: libvirt cannot express"),
                          (["--quiet"], "--quiet: libvirt cannot express"),
                          (["--machine", "microvm"], "refuses microvm"),
                          (["--machine", "efi"], "skiff build -o app.qcow2"),
                          (["--network", "lan"], "--network: libvirt cannot express")):
        got = skiff("virt-xml", trivial, *extra)
        _one_line(got, 2, needle)
        assert got.stdout == b"", got.stdout
    _one_line(skiff("virt-xml", trivial, "--port", "8080:80"), 2, "has no network stack")


def test_create_says_what_to_install():
    trivial = image("trivial")
    empty = os.path.join(scratch_dir(), "empty-path")
    os.makedirs(empty, exist_ok=True)
    got = skiff("virt-xml", trivial, "--create", env=skiff_env(PATH=empty))
    _one_line(got, 125, "virsh not found", "install libvirt-clients libvirt-daemon")
    if shutil.which("virsh") is None:
        print("SKIP: virsh is not installed; the unreachable-libvirtd case needs it")
        return
    got = skiff("virt-xml", trivial, "--create", "--connect",
                f"qemu:///system?socket={scratch_dir()}/no-libvirt-sock")
    _one_line(got, 125, "cannot reach libvirtd", "install libvirt-clients")


def test_cloud_outputs_never_overwrite():
    source = os.path.join(scratch_dir(), "cloudsrc.c")
    with open(source, "w") as f:
        f.write("int main(void) { return 0; }\n")
    for name in ("exists.qcow2", "exists.oci.tar"):
        out = os.path.join(scratch_dir(), name)
        with open(out, "w") as f:
            f.write("keep me")
        _one_line(skiff("build", source, "-o", out), 2, "exists; remove it first")
        assert open(out).read() == "keep me"


def test_cloud_outputs_say_what_to_install_and_args_need_them():
    source = os.path.join(scratch_dir(), "cloudsrc2.c")
    with open(source, "w") as f:
        f.write("int main(void) { return 0; }\n")
    empty = os.path.join(scratch_dir(), "empty-path")
    os.makedirs(empty, exist_ok=True)
    got = skiff("build", source, "-o", os.path.join(scratch_dir(), "t.qcow2"),
                env=skiff_env(PATH=empty))
    _one_line(got, 2, "qemu-img", "install", "qemu-utils")
    got = skiff("build", source, "-o", os.path.join(scratch_dir(), "t.elf"), "--", "a")
    _one_line(got, 2, "baked only into .qcow2 and .oci.tar")


def test_kernel_log_falls_back_to_com1_without_debugcon():
    """Under libvirt (no isa-debugcon, no isa-debug-exit) the exit line must still reach
    the serial console, and the guest must power off by itself (ACPI)."""
    import subprocess
    import sys
    from cli_support import ROOT, SKIFF
    hello = os.path.join(scratch_dir(), "hello.elf")
    if not os.path.exists(hello):
        built = subprocess.run([sys.executable, SKIFF, "build", os.path.join(ROOT, "apps", "hello"),
                                "-o", hello, "-q"], capture_output=True, timeout=300)
        assert built.returncode == 0, built.stderr
    dry = skiff("run", hello, "--machine", "q35", "--dry-run", "--", "x")
    argv = shlex.split(dry.stdout.decode())
    cmdline = argv[argv.index("-append") + 1]
    got = subprocess.run(["qemu-system-x86_64", "-M", "q35", "-accel", "tcg", "-cpu", "max",
                          "-m", "64M", "-nodefaults", "-no-user-config", "-display", "none",
                          "-no-reboot", "-serial", "stdio", "-kernel", hello, "-append", cmdline],
                         stdin=subprocess.DEVNULL, capture_output=True, timeout=120)
    out = got.stdout.decode(errors="replace")
    assert got.returncode == 0, (got.returncode, out, got.stderr)     # ACPI S5, not a crash
    assert "Hello from skiff! argv[0]=hello.elf, 1 argument(s)\n" in out, out
    assert out.endswith("skiff: exit 0\n"), out


def test_volumes_become_9p_filesystems_with_skiff_runs_tags():
    trivial = image("trivial")
    share = os.path.join(scratch_dir(), "share")
    os.makedirs(share, exist_ok=True)
    got = skiff("virt-xml", trivial, "-v", f"{share}:/data", "-v", f"{share}:/ro:ro")
    assert got.returncode == 0, got.stderr
    dom = ET.fromstring(got.stdout)
    fss = dom.findall("devices/filesystem")
    assert [(f.get("accessmode"), f.find("driver").get("type"), f.find("source").get("dir"),
             f.find("target").get("dir"), f.find("readonly") is not None) for f in fss] == [
        ("squash", "path", share, "skiffvol0", False), ("squash", "path", share, "skiffvol1", True)]
    assert '"vol=skiffvol0:/data" "vol=skiffvol1:/ro:ro"' in dom.findtext("os/cmdline")
    _one_line(skiff("virt-xml", trivial, "-v", "/no/such/dir:/data"), 125, "does not exist")
