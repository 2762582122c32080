"""virtio-net large receive (VIRTIO_NET_F_GUEST_TSO4) over a tap in a namespace the test makes: the host hands the guest TCP frames larger than the MTU and 4 MiB still echo back byte for byte."""
import textwrap

import netutil
import test_echo

HOST_IP, GUEST_IP = "192.168.76.1", "192.168.76.2"

# Inside the namespace: count the frames the host sends into tap0 (AF_PACKET sees them as
# the kernel hands them to the tap, before any segmentation the guest did not offer to
# take), while 4 MiB go to the guest's echo server and come back.
PROBE = netutil.ECHO_ROUNDTRIP + textwrap.dedent(r"""
    import os, socket, sys, threading, time
    guest = sys.argv[1]
    cap = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3))
    cap.bind(("tap0", 0))
    cap.settimeout(0.2)
    sizes, done = [], threading.Event()
    def watch():
        while not done.is_set():
            try:
                frame, addr = cap.recvfrom(70000)
            except socket.timeout:
                continue
            if addr[2] == socket.PACKET_OUTGOING:
                sizes.append(len(frame))
    w = threading.Thread(target=watch); w.start()
    s = socket.create_connection((guest, 7), timeout=20)
    same, count = echo_roundtrip(s, os.urandom(4 << 20))
    done.set(); w.join()
    print("echo", "ok" if same else "DIFFERS (%d of %d bytes)" % (count, 4 << 20))
    print("largest frame into the tap", max(sizes) if sizes else 0)
    print("frames over 1514 bytes", sum(1 for n in sizes if n > 1514))
""")


def test_large_frames_reach_the_guest_and_echo_exactly():
    with netutil.echo_on_tap("tso", test_echo.image(), HOST_IP, GUEST_IP) as (ns, g):
        if ns is None:
            return
        out = netutil.run_in_namespace(ns, PROBE, GUEST_IP, guest=g, timeout=240)
        assert "echo ok" in out, f"{out}\n{g.log()}"
        large = int(out.split("frames over 1514 bytes")[1].split()[0])
        assert large > 0, f"the host never sent the guest a frame over the MTU:\n{out}"


if __name__ == "__main__":
    netutil.run_tests(globals())
