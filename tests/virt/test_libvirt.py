"""skiff virt-xml under a real libvirtd: the domain boots, serves a forwarded port, reads its disk and a volume, exits with the app's status."""
import os
import re
import socket
import time

import libvirt_rig as rig

VIRTCHECK = ["tests/virt/guest/virtcheck.c"]


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(path, text, timeout=rig.DOMAIN_TIMEOUT):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if os.path.exists(path) and text in open(path, errors="replace").read():
            return True
        time.sleep(0.3)
    return False


def _exit_status(text):
    """The app's exit status from the kernel's last line, as skiff run reads it."""
    found = re.findall(r"^skiff: exit (\d+)\s*$", text, re.M)
    return int(found[-1]) if found else None


def test_domain_serves_port_reads_disk_and_exits_with_status():
    lv = rig.daemon()
    if lv is None:
        return
    image = rig.build("virtcheck", VIRTCHECK)
    work = rig.workdir("serve")
    console, log = os.path.join(work, "console"), os.path.join(work, "log")
    disk = os.path.join(work, "disk.raw")
    with open(disk, "wb") as f:
        f.write(b"DISKMARK-4242\n".ljust(1 << 20, b"\0"))
    os.chmod(disk, 0o666)
    share = os.path.join(work, "share")
    os.makedirs(share)
    os.chmod(share, 0o777)                 # QEMU runs as libvirt-qemu
    with open(os.path.join(share, "note"), "w") as f:
        f.write("from the host\n")
    port = _free_port()
    made = rig.skiff("virt-xml", image, "--name", "skiff-serve", "--console", console,
                     "--log", log, "--port", f"{port}:8080", "--disk", disk,
                     "-v", f"{share}:/data", "-e", "VOLFILE=/data/note",
                     "-e", "GREETING=two words", "--create", "--connect", lv.uri,
                     "--", "7", "8080", timeout=120)
    assert made.returncode == 0, made.stderr
    try:
        assert _wait_for(console, "listening on 8080"), open(console).read()
        with socket.create_connection(("127.0.0.1", port), timeout=60) as s:
            s.sendall(b"ping from the host\n")
            s.settimeout(60)
            reply = b""
            while not reply.endswith(b"\n"):
                chunk = s.recv(256)
                if not chunk:
                    break
                reply += chunk
        assert reply == b"virtcheck heard: ping from the host\n", reply
        assert lv.wait_gone("skiff-serve"), "the domain did not end after the app exited"
    finally:
        lv.destroy("skiff-serve")
    out, err = open(console).read(), open(log).read()
    assert "virtcheck: argc=3 [7] [8080] GREETING=two words\n" in out, out
    assert "virtcheck: disk says DISKMARK-4242\n" in out, out
    assert "virtcheck: volume says from the host\n" in out, out
    assert open(os.path.join(share, "note.answer")).read() == "guest read from the host\n"
    assert 'virtcheck: served "ping from the host"' in out, out
    assert "skiff: " not in out, "the kernel log belongs in --log, not on the console:\n" + out
    assert "virtcheck: a line on stderr" in err, err        # stderr kept apart from stdout
    assert _exit_status(err) == 7, err


def _run_to_end(lv, image, name, *options):
    """virt-xml --create a domain whose console is a file; its text once the app has exited."""
    console = os.path.join(rig.workdir(name), "console")
    made = rig.skiff("virt-xml", image, "--name", name, "--console", console, "--create",
                     "--connect", lv.uri, *options, timeout=120)
    assert made.returncode == 0, made.stderr
    try:
        assert lv.wait_gone(name), "the domain did not end after the app exited"
    finally:
        lv.destroy(name)
    return open(console).read()


def test_exit_line_reaches_the_console_without_a_log_file():
    lv = rig.daemon()
    if lv is None:
        return
    out = _run_to_end(lv, rig.build("virtcheck", VIRTCHECK), "skiff-console",
                      "--", "42", "a b", "")
    assert "virtcheck: argc=4 [42] [a b] [] GREETING=(unset)\n" in out, out
    assert "virtcheck: a line on stderr" in out, out     # no debugcon: the log is COM1
    assert _exit_status(out) == 42, out


def test_four_vcpus_from_cpus_4():
    lv = rig.daemon()
    if lv is None:
        return
    out = _run_to_end(lv, rig.build("smp_online", ["tests/boot/smp_online/main.c"]),
                      "skiff-cpus", "--cpus", "4")
    assert "cpus online 4 conf 4 nprocs 4\n" in out, out    # smp_online exits 0 only then
    assert "skiff: 4 CPUs up" in out and _exit_status(out) == 0, out


def test_pty_console_and_virsh_destroy():
    lv = rig.daemon()
    if lv is None:
        return
    image = rig.build("virtcheck", VIRTCHECK)
    made = rig.skiff("virt-xml", image, "--name", "skiff-pty", "--create", "--connect", lv.uri,
                     "--", "0", "8080", timeout=120)      # waits for a client that never comes
    assert made.returncode == 0, made.stderr
    try:
        tty = lv.virsh("ttyconsole", "skiff-pty").stdout.strip()
        assert tty.startswith("/dev/pts/"), tty
        assert lv.running("skiff-pty")
        lv.virsh("destroy", "skiff-pty")
        assert lv.wait_gone("skiff-pty", timeout=30)
    finally:
        lv.destroy("skiff-pty")
