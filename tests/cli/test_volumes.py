"""Volumes (skiff run -v HOST:GUEST[:ro]): the POSIX file calls on a host directory give what Linux
gives natively (tests/cli/volume_guest, built both ways), read-only volumes, a full host file
system, escapes through symbolic links and `..`, nested volumes, and the CLI's refusals."""
import functools
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import cli_support  # noqa: E402

SOURCE = os.path.join(cli_support.ROOT, "tests", "cli", "volume_guest")
TIMEOUT = 300


@functools.lru_cache(maxsize=None)
def guest_image():
    image = os.path.join(cli_support.scratch_dir(), "volumes", "volume_guest.elf")
    os.makedirs(os.path.dirname(image), exist_ok=True)
    built = cli_support.skiff("build", SOURCE, "-o", image, timeout=300)
    assert built.returncode == 0, built.stderr.decode(errors="replace")
    return image


@functools.lru_cache(maxsize=None)
def native_program():
    out = os.path.join(cli_support.scratch_dir(), "volumes", "volume_guest.native")
    os.makedirs(os.path.dirname(out), exist_ok=True)
    r = subprocess.run(["gcc", "-O1", "-o", out, os.path.join(SOURCE, "main.c")],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    return out


def _tmpdir(name):
    return tempfile.mkdtemp(prefix=f"vol-{name}-", dir=cli_support.scratch_dir())


def _run(*args, machine=None):
    extra = ["--machine", machine] if machine else []
    r = cli_support.skiff("run", guest_image(), "--quiet", "--timeout", str(TIMEOUT), *extra,
                          *args, timeout=TIMEOUT + 60)
    return r.returncode, r.stdout.decode(errors="replace"), r.stderr.decode(errors="replace")


def test_posix_calls_on_a_volume_match_linux():
    host = _tmpdir("native")
    nat = subprocess.run([native_program(), "posix", host], capture_output=True, timeout=120)
    assert nat.returncode == 0, nat
    vol = _tmpdir("posix")
    status, out, err = _run("-v", f"{vol}:/data", "--", "posix", "/data")
    assert status == 0, (status, out, err)
    assert out == nat.stdout.decode(), (out, nat.stdout.decode())
    assert "readdir big: 2000 entries" in out and out.endswith("done\n")
    # what the guest left is on the host, as it said
    with open(os.path.join(vol, "h2")) as f:
        assert f.read() == "shared"
    assert os.readlink(os.path.join(vol, "ln")) == "a"
    assert oct(os.stat(os.path.join(vol, "h2")).st_mode & 0o7777) == "0o600"


def test_volumes_over_virtio_pci_and_uefi():
    """virtio-9p-pci on q35 and pc, and the UEFI boot path (OVMF on q35)."""
    for machine in ("q35", "pc", "efi"):
        vol = _tmpdir(machine)
        status, out, err = _run("-v", f"{vol}:/data", "--", "put", "/data",
                                f"/data/x=over {machine}", machine=machine)
        assert status == 0 and "put /data/x: ok" in out, (machine, status, out, err)
        with open(os.path.join(vol, "x")) as f:
            assert f.read() == f"over {machine}", machine


def test_files_belong_to_the_user_who_ran_skiff():
    """Run skiff as nobody: what the guest creates is nobody's on the host, not root's."""
    if os.geteuid() != 0 or not os.path.exists("/usr/bin/python3"):
        return  # only root can become another user; as a user the check below is trivial
    top = tempfile.mkdtemp(prefix="skiff-vol-owner-")  # outside the 0700 scratch dir
    try:
        os.chmod(top, 0o755)
        vol = os.path.join(top, "vol")
        os.mkdir(vol)
        os.chown(vol, 65534, 65534)
        image = os.path.join(top, "guest.elf")
        shutil.copyfile(guest_image(), image)
        os.chmod(image, 0o644)
        cache = os.path.join(top, "cache")
        os.mkdir(cache)
        os.chown(cache, 65534, 65534)
        env = cli_support.skiff_env(XDG_CACHE_HOME=cache, HOME=cache)
        r = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                            "/usr/bin/python3", cli_support.SKIFF, "run", image, "--quiet",
                            "--timeout", str(TIMEOUT), "-v", f"{vol}:/data", "--", "put",
                            "/data", "/data/mine=x"], env=env, capture_output=True,
                           timeout=TIMEOUT + 60)
        assert r.returncode == 0 and b"put /data/mine: ok" in r.stdout, r
        st = os.stat(os.path.join(vol, "mine"))
        assert (st.st_uid, st.st_gid) == (65534, 65534), (st.st_uid, st.st_gid)
    finally:
        shutil.rmtree(top, ignore_errors=True)


def test_read_only_volume_gives_erofs():
    vol = _tmpdir("ro")
    with open(os.path.join(vol, "ro.txt"), "w") as f:
        f.write("read me")
    status, out, err = _run("-v", f"{vol}:/data:ro", "--", "ro", "/data")
    assert status == 0, (status, out, err)
    assert out == ("ro.txt: [read me]\nopen for writing: EROFS\ncreate: EROFS\nmkdir: EROFS\n"
                   "unlink: EROFS\nrename: EROFS\nstat: ok\naccess W_OK: EROFS\naccess R_OK: ok\nstatvfs: ok\nST_RDONLY: 1\ndone\n"), out
    assert os.listdir(vol) == ["ro.txt"]


def test_full_host_file_system_gives_enospc():
    if os.geteuid() != 0:
        return  # mounting a small tmpfs needs root
    vol = _tmpdir("enospc")
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", vol], check=True)
    try:
        status, out, err = _run("-v", f"{vol}:/data", "--", "enospc", "/data")
        assert status == 0, (status, out, err)
        assert out == ("write stopped: ENOSPC after some bytes\nfsync: ok\nclose: ok\n"
                       "unlink: ok\ndone\n"), out
    finally:
        subprocess.run(["umount", vol], check=True)


def test_symlinks_and_dotdot_never_leave_the_volume():
    """Links in a volume resolve in the guest's namespace: /etc is the guest's, and `..` past the
    mount point is the guest's /, never the host directory around the volume."""
    outer = _tmpdir("escape")
    with open(os.path.join(outer, "secret.txt"), "w") as f:
        f.write("SECRET")
    vol = os.path.join(outer, "vol")
    os.mkdir(vol)
    os.symlink("../secret.txt", os.path.join(vol, "up"))
    os.symlink(os.path.join(outer, "secret.txt"), os.path.join(vol, "abs"))
    os.symlink("/etc", os.path.join(vol, "etc"))
    os.symlink("../../../../../../..", os.path.join(vol, "root"))
    paths = ["/data/up", "/data/abs", "/data/../secret.txt", "/data/etc/hostname",
             f"/data/root{outer}/secret.txt", "/data/root/secret.txt"]
    status, out, err = _run("-v", f"{vol}:/data", "--", "escape", "/data", *paths)
    assert status == 0, (status, out, err)
    lines = out.splitlines()
    assert lines[-1] == "done" and len(lines) == len(paths) + 1, out
    assert "SECRET" not in out, out
    assert all(line.endswith(": ENOENT") for line in lines[:-1]), out


def test_nested_volumes_longest_mount_point_wins():
    outer, inner = _tmpdir("outer"), _tmpdir("inner")
    status, out, err = _run("-v", f"{outer}:/data", "-v", f"{inner}:/data/inner", "--", "put",
                            "/data", "/data/x=outer", "/data/inner/y=inner",
                            "/data/inner/../z=outer again")
    assert status == 0, (status, out, err)
    assert sorted(os.listdir(outer)) == ["x", "z"], os.listdir(outer)
    assert os.listdir(inner) == ["y"]
    with open(os.path.join(inner, "y")) as f:
        assert f.read() == "inner"


def _refused(*volume_args):
    r = cli_support.skiff("run", guest_image(), *volume_args, "--dry-run")
    return r.returncode, r.stderr.decode(errors="replace").strip()


def test_bad_volumes_are_refused_before_qemu_starts():
    vol = _tmpdir("cli")
    missing = os.path.join(vol, "missing")
    afile = os.path.join(vol, "file")
    open(afile, "w").close()
    status, err = _refused("-v", f"{missing}:/data")
    assert status == 125 and err == f"skiff run: -v {missing}:/data: host directory {missing} " \
        "does not exist", err
    status, err = _refused("-v", f"{afile}:/data")
    assert status == 125 and "is not a directory" in err and len(err.splitlines()) == 1, err
    for guest, why in (("data", "must be absolute"), ("/", "the guest's own root"),
                       ("/tmp", "the guest's own /tmp"), ("/tmp/", "the guest's own /tmp"),
                       ("/dev", "the guest's own /dev")):
        status, err = _refused("-v", f"{vol}:{guest}")
        assert status == 2 and why in err and len(err.splitlines()) == 1, (guest, err)
    status, err = _refused("-v", f"{vol}:/data", "-v", f"{vol}:/data/")
    assert status == 2 and "two volumes at /data" in err, err
    status, err = _refused("-v", "nocolon")
    assert status == 2 and "expected HOST:GUEST[:ro]" in err, err


def test_dry_run_shows_the_9p_devices():
    vol = _tmpdir("dry")
    r = cli_support.skiff("run", guest_image(), "-v", f"{vol}:/data:ro", "--volume",
                          f"{vol}:/www", "--dry-run")
    line = r.stdout.decode()
    assert r.returncode == 0, r.stderr
    assert f"-fsdev local,id=vol0,path={vol},security_model=none,readonly=on " in line, line
    assert "-device virtio-9p-device,fsdev=vol0,mount_tag=skiffvol0 " in line, line
    assert f"-fsdev local,id=vol1,path={vol},security_model=none " in line, line
    assert '"vol=skiffvol0:/data:ro" "vol=skiffvol1:/www"' in line, line
    r = cli_support.skiff("run", guest_image(), "-v", f"{vol}:/data", "--machine", "pc",
                          "--dry-run")
    assert "-device virtio-9p-pci,fsdev=vol0,mount_tag=skiffvol0 " in r.stdout.decode()


def test_workdir_on_a_volume_is_created_there():
    vol = _tmpdir("workdir")
    status, out, err = _run("-v", f"{vol}:/data", "-w", "/data/work", "--", "put", ".",
                            "rel=relative to the working directory")
    assert status == 0 and "put rel: ok" in out, (status, out, err)
    with open(os.path.join(vol, "work", "rel")) as f:
        assert f.read() == "relative to the working directory"
