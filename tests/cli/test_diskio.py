"""apps/bench/diskio.c, the disk I/O bench's job: on a skiff volume and on a raw --disk it checks
its own data and leaves the very bytes the native run leaves; bad arguments exit 2."""
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import cli_support  # noqa: E402

SOURCE = os.path.join(cli_support.ROOT, "apps", "bench", "diskio.c")
ARGS = ["2", "300", "20"]       # 2 MiB, 300 random reads and writes, 20 fsyncs
TIMEOUT = 300


def _built():
    work = tempfile.mkdtemp(prefix="diskio-", dir=cli_support.scratch_dir())
    image, native = os.path.join(work, "diskio.elf"), os.path.join(work, "diskio.native")
    built = cli_support.skiff("build", SOURCE, "-o", image, timeout=300)
    assert built.returncode == 0, built.stderr.decode(errors="replace")
    r = subprocess.run(["gcc", "-O2", "-o", native, SOURCE], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    return work, image, native


def _skiff(image, *args):
    r = cli_support.skiff("run", image, "--quiet", "--timeout", str(TIMEOUT), *args,
                          timeout=TIMEOUT + 60)
    return r.returncode, r.stdout.decode(errors="replace"), r.stderr.decode(errors="replace")


def test_diskio_on_a_volume_and_a_disk_writes_what_linux_writes():
    work, image, native = _built()
    try:
        r = subprocess.run([native, os.path.join(work, "native.dat"), *ARGS],
                           capture_output=True, text=True, timeout=120)
        assert r.returncode == 0 and "verified=ok" in r.stdout, r.stdout + r.stderr
        with open(os.path.join(work, "native.dat"), "rb") as f:
            want = f.read()
        assert len(want) == 2 << 20
        vol = os.path.join(work, "vol")
        os.mkdir(vol)
        status, out, err = _skiff(image, "-v", f"{vol}:/data", "--", "/data/f", *ARGS)
        assert status == 0 and "verified=ok" in out, out + err
        with open(os.path.join(vol, "f"), "rb") as f:
            assert f.read() == want, "the file on the volume differs from the native run's"
        disk = os.path.join(work, "disk.img")
        with open(disk, "wb") as f:
            f.truncate(3 << 20)
        status, out, err = _skiff(image, "--disk", disk, "--", "/dev/vda", *ARGS)
        assert status == 0 and "verified=ok" in out, out + err
        with open(disk, "rb") as f:
            assert f.read(2 << 20) == want, "the disk's first 2 MiB differ from the native run's"
        status, out, err = _skiff(image, "-v", f"{vol}:/data", "--", "/data/f", "0")
        assert status == 2 and "diskio: SIZE_MIB > 0" in err, (status, out, err)
    finally:
        shutil.rmtree(work, ignore_errors=True)
