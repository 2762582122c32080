"""virtio-blk as /dev/vda: write + fsync in one boot, read back in a second boot of the same --disk."""
import os
import tempfile

import netutil


def test_blk_round_trip_across_two_boots():
    img = netutil.build("blkrw", ["tests/net/guest/blkrw/main.c"])
    with tempfile.TemporaryDirectory(prefix="skiff-disk-") as d:
        disk = os.path.join(d, "disk.img")
        with open(disk, "wb") as f:
            f.truncate(4 << 20)
        with netutil.Guest(img, ["--disk", disk], app_args=["write", "7"]) as g:
            status, out = g.finish()
        assert status == 0 and "blkrw: ok (write)" in out, g.log()
        with open(disk, "rb") as f:
            f.seek(1000)
            assert f.read(4) != b"\0\0\0\0", "the write did not reach the disk file"
        with netutil.Guest(img, ["--disk", disk], app_args=["read", "7"]) as g:
            status, out = g.finish()
        assert status == 0 and "blkrw: ok (read)" in out, g.log()
        with netutil.Guest(img, ["--disk", disk], app_args=["read", "8"]) as g:
            status, out = g.finish()
        assert status == 1, f"a wrong seed must fail\n{g.log()}"


if __name__ == "__main__":
    netutil.run_tests(globals())
