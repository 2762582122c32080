"""The network over virtio-pci (q35): DHCP, TCP and UDP echo through the PCI transport."""
import os
import socket

import netutil
import test_echo


def test_echo_over_virtio_pci_q35():
    tport, uport = netutil.free_port(), netutil.free_port(socket.SOCK_DGRAM)
    with netutil.Guest(test_echo.image(), ["--machine", "q35", "--append", "bootstat",
                                           "--port", f"{tport}:7", "--port", f"udp:{uport}:7"],
                       ready="echo: listening") as g:
        # q35's firmware publishes an MCFG table: config space goes through ECAM
        assert "config space through ecam" in g.log(), g.log()
        s = netutil.connect(tport)
        s.settimeout(30)
        for size in (1, 1500, 65536):
            data = os.urandom(size)
            s.sendall(data)
            assert netutil.recv_exact(s, size) == data, f"{size}-byte echo differs"
        s.close()
        u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        u.settimeout(2)
        for _ in range(5):
            u.sendto(b"pci", ("127.0.0.1", uport))
            try:
                assert u.recvfrom(100)[0] == b"pci"
                break
            except socket.timeout:
                continue
        else:
            raise AssertionError(f"no UDP echo\n{g.log()}")
        u.close()
        assert g.proc.poll() is None, g.log()



def test_pc_and_noecam_use_the_config_ports():
    """pc has no MCFG, and `pci=noecam` turns ECAM off on q35: both reach config space
    through ports 0xcf8/0xcfc and still find and run the NIC."""
    for args in (["--machine", "pc", "--append", "bootstat"],
                 ["--machine", "q35", "--append", "bootstat pci=noecam"]):
        tport = netutil.free_port()
        with netutil.Guest(test_echo.image(), args + ["--port", f"{tport}:7"],
                           ready="echo: listening") as g:
            assert "config space through ports" in g.log(), g.log()
            s = netutil.connect(tport)
            s.settimeout(30)
            s.sendall(b"ports")
            assert netutil.recv_exact(s, 5) == b"ports"
            s.close()


if __name__ == "__main__":
    netutil.run_tests(globals())
