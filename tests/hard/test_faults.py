"""Faults: a 10 MiB download through a lossy, reordering, duplicating link (tests/hard/netem.py)
arrives intact; the host side of the tap going down and up mid-transfer leaves a server that
still serves; a full virtio-blk disk gives the app a short write then ENOSPC, not a panic;
`skiff run --net udp:L:R` checks its input."""
import json
import os
import socket
import subprocess
import tempfile
import time

import hardutil as h
import soak


def test_10mib_download_through_5pct_loss_reorder_dup():
    r = soak.loss_throughput(timeout=400)
    if r is None:
        return
    print(json.dumps({k: r[k] for k in ("clean_mbit_s", "lossy_mbit_s", "lossy", "netem",
                                        "stats_after")}))
    assert r["clean_ok"], f"clean download: {r['clean']}"
    assert r["lossy_ok"], f"lossy download: {r['lossy']}\n{r['guest_log']}"
    for way in ("to_guest", "to_host"):
        c = r["netem"].get(way, {})
        # the impairments really happened, in both directions
        assert c.get("dropped") and c.get("reordered") and c.get("duplicated"), r["netem"]
    assert r["server_alive_after"], f"no /_stats after the download: {r['stats_after']}\n" \
        + r["guest_log"]


def test_tap_down_and_up_mid_transfer():
    image = h.site()["image"]
    with h.tap_namespace("flap") as ns:
        if ns is None:
            return
        with h.guest(ns, image, ["-s"], timeout=400) as g:
            # the transfer must either complete with the right bytes or fail cleanly
            # a slow reader (2 MiB/s): the 10 MiB transfer spans the link's outage
            proc = h.start_probe(ns, "get", h.GUEST_IP, "/big.bin", 120, 2 << 20)
            time.sleep(1.5)
            h.sh(*ns, "ip", "link", "set", "tap0", "down")
            time.sleep(3)
            h.sh(*ns, "ip", "link", "set", "tap0", "up")
            out, err = proc.communicate(timeout=300)
            first = json.loads(out.strip().splitlines()[-1])
            print("during the flap:", first)
            assert first.get("seconds", 0) > 4.5, f"the transfer did not span the outage: {first}"
            if "sha256" in first:
                assert first["sha256"] == h.site()["big_sha"], first
            else:
                assert "error" in first, first
            # after the link is back: new requests are served, the big file intact
            again = h.probe(ns, "get", h.GUEST_IP, "/big.bin", 120, timeout=300)
            assert again.get("sha256") == h.site()["big_sha"], f"{again}\n{g.log()}"
            stats = h.probe(ns, "stats", h.GUEST_IP)
            assert stats["requests"] >= 2, stats
            assert g.proc.poll() is None, g.log()


def test_full_disk_gives_enospc_not_panic():
    image = h.netutil.build("hard-blkfull", ["tests/hard/guest/blkfull/main.c"])
    with tempfile.TemporaryDirectory(prefix="skiff-full-") as d:
        disk = os.path.join(d, "disk.img")
        size = (2 << 20) + 3 * 512          # not a multiple of the 60000-byte chunk
        with open(disk, "wb") as f:
            f.truncate(size)
        with h.netutil.Guest(image, ["--disk", disk, "--net", "none"]) as g:
            status, out = g.finish(seconds=120)
        assert status == 0, f"status {status}\n{g.log()}"
        assert f"ENOSPC after {size} bytes" in out, g.log()
        assert "stdio: ENOSPC" in out, g.log()
        assert "panic" not in g.log(), g.log()
        assert os.path.getsize(disk) == size, "the disk file grew"
        with open(disk, "rb") as f:
            data = f.read()
        at = size - 5000
        want = bytes(((i * 7 + i // 4093) & 0xff) for i in range(at, at + 4900))
        assert data[at:at + 4900] == want, "the guest's pattern is not on the disk"


def test_net_udp_mode_arguments():
    image = h.site()["image"]
    run = [os.path.join(h.ROOT, "tools", "skiff"), "run", image, "--dry-run"]
    r = subprocess.run(run + ["--net", "udp:40002:40001"], capture_output=True, text=True,
                       timeout=60)
    assert r.returncode == 0, r.stderr
    assert "socket,id=net0,udp=127.0.0.1:40001,localaddr=127.0.0.1:40002" in r.stdout, r.stdout
    for bad in ("udp:1", "udp:0:5", "udp:5:5", "udp:a:b", "udp:1:2:3", "udp:70000:1"):
        r = subprocess.run(run + ["--net", bad], capture_output=True, text=True, timeout=60)
        assert r.returncode == 2, (bad, r.returncode, r.stderr)
        assert "udp:LOCALPORT:REMOTEPORT" in r.stderr, (bad, r.stderr)
        assert len(r.stderr.strip().splitlines()) <= 2, r.stderr
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as busy:
        busy.bind(("127.0.0.1", 0))
        port = busy.getsockname()[1]
        r = subprocess.run([*run[:-1], "--net", f"udp:{port}:40001", "--timeout", "30"],
                           capture_output=True, text=True, timeout=60)
        assert r.returncode == 125, (r.returncode, r.stderr)
        assert f"udp port {port} on 127.0.0.1 is not free" in r.stderr, r.stderr


if __name__ == "__main__":
    h.netutil.run_tests(globals())
