"""virtio-net large receive (VIRTIO_NET_F_GUEST_TSO4) over a tap in a namespace the test makes: the host hands the guest TCP frames larger than the MTU and 4 MiB still echo back byte for byte."""
import subprocess
import sys
import textwrap

import netutil
import test_echo

HOST_IP, GUEST_IP = "192.168.76.1", "192.168.76.2"

# Inside the namespace: count the frames the host sends into tap0 (AF_PACKET sees them as
# the kernel hands them to the tap, before any segmentation the guest did not offer to
# take), while 4 MiB go to the guest's echo server and come back.
PROBE = textwrap.dedent(r"""
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
    data = os.urandom(4 << 20)
    t = threading.Thread(target=s.sendall, args=(data,)); t.start()
    got = bytearray()
    while len(got) < len(data):
        chunk = s.recv(1 << 20)
        if not chunk: break
        got += chunk
    t.join(); done.set(); w.join()
    print("echo", "ok" if bytes(got) == data else "DIFFERS (%d of %d bytes)" % (len(got), len(data)))
    print("largest frame into the tap", max(sizes) if sizes else 0)
    print("frames over 1514 bytes", sum(1 for n in sizes if n > 1514))
""")


def test_large_frames_reach_the_guest_and_echo_exactly():
    img = test_echo.image()
    with netutil.tap_namespace("tso", HOST_IP) as ns:
        if ns is None:
            return
        with netutil.Guest(img, ["--net", "tap:tap0", "--append",
                                 f"ip={GUEST_IP}/24 gw={HOST_IP}"],
                           ready="echo: listening", prefix=ns) as g:
            r = subprocess.run([*ns, sys.executable, "-c", PROBE, GUEST_IP],
                               capture_output=True, text=True, timeout=240)
            print(r.stdout, r.stderr)
            assert r.returncode == 0, f"probe failed:\n{r.stdout}{r.stderr}\n{g.log()}"
            assert "echo ok" in r.stdout, f"{r.stdout}\n{g.log()}"
            large = int(r.stdout.split("frames over 1514 bytes")[1].split()[0])
            assert large > 0, f"the host never sent the guest a frame over the MTU:\n{r.stdout}"


if __name__ == "__main__":
    netutil.run_tests(globals())
