#!/usr/bin/env python3
"""Writes the fuzz targets' checked-in seed inputs into tests/fuzz/corpus/<target>/.

    python3 tests/fuzz/seeds.py        (rewrites the files; they are small and checked in)

The netrx seeds follow the input format described atop targets/fuzz_netrx.c: a features
byte, then records (ctl, piece, extra, length, virtio_net_hdr + Ethernet frame) from a
peer at 10.0.2.2 to the target's interface at 10.0.2.15 (TCP echo on 80, UDP echo on 7).
"""
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))

# --- netrx: constants mirrored from targets/netrx.h and fuzz_netrx.c
F_LEGACY, F_MRG, F_ANY_LAYOUT, F_TX_CSUM, F_DHCP = 0x01, 0x02, 0x04, 0x08, 0x10
C_FIX_CSUM, C_NUM_BUFS, C_TIMERS = 0x01, 0x02, 0x04
HDR_F_NEEDS_CSUM, HDR_F_DATA_VALID = 1, 2
OUR_MAC = bytes.fromhex("525400123456")
PEER_MAC = bytes.fromhex("52550a000202")
OUR_IP, PEER_IP = bytes([10, 0, 2, 15]), bytes([10, 0, 2, 2])
ISN = 0x5EED0000  # LWIP_HOOK_TCP_ISN in tests/fuzz/lwip/lwipopts.h
XID = 0x2545F491  # net_rand() in targets/lwip_host.c: DHCP's transaction id
BROADCAST_MAC, BROADCAST_IP = b"\xff" * 6, b"\xff" * 4


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return s


def eth(ethertype, payload, dst=OUR_MAC):
    return dst + PEER_MAC + struct.pack("!H", ethertype) + payload


def arp_request():
    body = struct.pack("!HHBBH", 1, 0x0800, 6, 4, 1) + PEER_MAC + PEER_IP + bytes(6) + OUR_IP
    return eth(0x0806, body, dst=b"\xff" * 6)


def ipv4(proto, payload, ident=1, frag=0, total=None, dst=OUR_IP):
    total = total if total is not None else 20 + len(payload)
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, total, ident, frag, 64, proto, 0, PEER_IP, dst)
    hdr = hdr[:10] + struct.pack("!H", 0xFFFF & ~csum(hdr)) + hdr[12:]
    return eth(0x0800, hdr + payload, dst=BROADCAST_MAC if dst == BROADCAST_IP else OUR_MAC)


def pseudo(proto, length, dst=OUR_IP):
    return PEER_IP + dst + struct.pack("!BBH", 0, proto, length)


def udp(sport, dport, data, partial=False, dst=OUR_IP):
    seg = struct.pack("!HHHH", sport, dport, 8 + len(data), 0) + data
    s = csum(pseudo(17, len(seg), dst) + (b"" if partial else seg))
    c = s if partial else (0xFFFF & ~s) or 0xFFFF
    return seg[:6] + struct.pack("!H", c) + seg[8:]


def tcp(sport, dport, seq, ack, flags, data=b"", window=8192):
    seg = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, 5 << 4, flags, window, 0, 0) + data
    c = 0xFFFF & ~csum(pseudo(6, len(seg)) + seg)
    return seg[:16] + struct.pack("!H", c) + seg[18:]


def icmp_echo(ident, seq, data):
    msg = struct.pack("!BBHHH", 8, 0, 0, ident, seq) + data
    return msg[:2] + struct.pack("!H", 0xFFFF & ~csum(msg)) + msg[4:]


def vhdr(flags=0, csum_start=0, csum_offset=0, num_buffers=1, legacy10=False):
    h = struct.pack("<BBHHHHH", flags, 0, 0, 0, csum_start, csum_offset, num_buffers)
    return h[:10] if legacy10 else h


def record(frame, ctl=C_FIX_CSUM | C_NUM_BUFS, piece=0, extra=0, hdr=None):
    data = (hdr if hdr is not None else vhdr()) + frame
    return struct.pack("<BBBH", ctl, piece, extra, len(data)) + data


def tick(n=1):
    return b"".join(struct.pack("<BBBH", C_TIMERS, 0, 0, 0) for _ in range(n))


def dhcp_reply(msg_type):
    """A DHCP OFFER (2) or ACK (5) from 10.0.2.2 for 10.0.2.15, broadcast."""
    bootp = struct.pack("!BBBBIHH4s4s4s4s16s64s128s", 2, 1, 6, 0, XID, 0, 0, bytes(4), OUR_IP,
                        PEER_IP, bytes(4), OUR_MAC, b"", b"")
    opts = bytes([53, 1, msg_type, 54, 4]) + PEER_IP + bytes([51, 4]) + struct.pack("!I", 86400) + \
        bytes([1, 4, 255, 255, 255, 0, 3, 4]) + PEER_IP + bytes([6, 4, 10, 0, 2, 3, 255])
    msg = bootp + struct.pack("!I", 0x63825363) + opts
    return ipv4(17, udp(67, 68, msg, dst=BROADCAST_IP), dst=BROADCAST_IP)


SYN, ACK, PSH, FIN = 0x02, 0x10, 0x08, 0x01
F_DEFAULT = F_MRG | F_TX_CSUM  # QEMU's virtio-net-pci: modern, mergeable buffers, offloads


def netrx_seeds():
    arp = record(arp_request())
    c = 40000
    yield "arp_request", bytes([F_DEFAULT]) + arp
    yield "icmp_echo", bytes([F_DEFAULT]) + arp + record(ipv4(1, icmp_echo(7, 1, bytes(range(56)))))
    yield "tcp_syn", bytes([F_DEFAULT]) + arp + record(ipv4(6, tcp(c, 80, 1000, 0, SYN)))
    yield "tcp_session", bytes([F_DEFAULT]) + arp + b"".join([
        record(ipv4(6, tcp(c, 80, 1000, 0, SYN), 1)),
        record(ipv4(6, tcp(c, 80, 1001, ISN + 1, ACK), 2)),
        record(ipv4(6, tcp(c, 80, 1001, ISN + 1, ACK | PSH, b"hello, skiff\n"), 3)),
        record(ipv4(6, tcp(c, 80, 1014, ISN + 14, ACK | FIN), 4)),
        record(ipv4(6, tcp(c, 80, 1015, ISN + 15, ACK), 5))])
    yield "tcp_retransmit", bytes([F_DEFAULT]) + arp + record(
        ipv4(6, tcp(c, 80, 1000, 0, SYN))) + tick(24)
    yield "tcp_out_of_order", bytes([F_DEFAULT]) + arp + b"".join([
        record(ipv4(6, tcp(c, 80, 1000, 0, SYN), 1)),
        record(ipv4(6, tcp(c, 80, 1001, ISN + 1, ACK), 2)),
        record(ipv4(6, tcp(c, 80, 1101, ISN + 1, ACK, b"B" * 100), 3)),
        record(ipv4(6, tcp(c, 80, 1001, ISN + 1, ACK, b"A" * 100), 4))])
    yield "tcp_ooseq_past_hold_limit", bytes([F_DEFAULT]) + arp + b"".join([
        record(ipv4(6, tcp(c, 80, 1000, 0, SYN), 1)),
        record(ipv4(6, tcp(c, 80, 1001, ISN + 1, ACK), 2))] + [
        record(ipv4(6, tcp(c, 80, 1011 + 10 * i, ISN + 1, ACK, b"%010d" % i), 3 + i))
        for i in range(24)] + [record(ipv4(6, tcp(c, 80, 1001, ISN + 1, ACK, b"0123456789"), 99))])
    yield "tcp_big_segment_merged", bytes([F_DEFAULT]) + arp + b"".join([
        record(ipv4(6, tcp(c, 80, 1000, 0, SYN), 1)),
        record(ipv4(6, tcp(c, 80, 1001, ISN + 1, ACK), 2)),
        record(ipv4(6, tcp(c, 80, 1001, ISN + 1, ACK | PSH, bytes(1460)), 3), piece=64)])
    yield "udp_echo", bytes([F_DEFAULT]) + arp + record(ipv4(17, udp(5353, 7, b"ping")))
    yield "udp_needs_csum", bytes([F_DEFAULT]) + arp + record(
        ipv4(17, udp(5353, 7, b"partial checksum", partial=True)), ctl=C_NUM_BUFS,
        hdr=vhdr(HDR_F_NEEDS_CSUM, 34, 6))
    yield "udp_data_valid", bytes([F_DEFAULT]) + arp + record(
        ipv4(17, udp(5353, 7, b"trusted")), hdr=vhdr(HDR_F_DATA_VALID))
    dgram = udp(5353, 7, bytes(i & 0xFF for i in range(3000)))
    frags = []
    for off in range(0, len(dgram), 1480):
        more = 0x2000 if off + 1480 < len(dgram) else 0
        frags.append(record(ipv4(17, dgram[off:off + 1480], 9, more | off // 8)))
    yield "udp_fragments", bytes([F_DEFAULT]) + arp + b"".join(frags) + tick(8)
    yield "legacy_split_icmp", bytes([F_LEGACY]) + record(arp_request(), hdr=vhdr(legacy10=True)) + \
        record(ipv4(1, icmp_echo(7, 2, b"legacy")), hdr=vhdr(legacy10=True))
    yield "dhcp_offer_ack_then_tcp", bytes([F_DEFAULT | F_DHCP]) + record(dhcp_reply(2)) + \
        record(dhcp_reply(5)) + arp + record(ipv4(6, tcp(c, 80, 1000, 0, SYN))) + tick(4)
    yield "modern_no_mrg_tcp", bytes([0]) + arp + record(ipv4(6, tcp(c, 80, 1000, 0, SYN)))


# --- the others


def cpio_entry(name, data=b"", mode=0o100644, ino=1):
    n = name.encode() + b"\0"
    hdr = b"070701" + b"".join(b"%08X" % v for v in
                               (ino, mode, 0, 0, 1, 0, len(data), 0, 0, 0, 0, len(n), 0))
    out = hdr + n
    out += b"\0" * (-len(out) % 4) + data
    return out + b"\0" * (-len(out) % 4)


def cpio_seeds():
    trailer = cpio_entry("TRAILER!!!", ino=0, mode=0)
    yield "files", cpio_entry(".", mode=0o40755) + cpio_entry("index.html", b"<h1>hi</h1>\n", ino=2) + \
        cpio_entry("css", mode=0o40755, ino=3) + cpio_entry("css/a.css", b"p{}", ino=4) + trailer
    yield "empty", trailer
    yield "crc_format", cpio_entry("x", b"abc").replace(b"070701", b"070702", 1) + trailer


def initrd_seeds():
    trailer = cpio_entry("TRAILER!!!", ino=0, mode=0)
    yield "site", cpio_entry(".", mode=0o40755) + cpio_entry("./index.html", b"hi", ino=2) + \
        cpio_entry("./css", mode=0o40755, ino=3) + cpio_entry("./css/a.css", b"p{}", ino=4) + \
        cpio_entry("./css-old/b.css", b"", ino=5) + cpio_entry("/img/x/y.png", b"", ino=6) + \
        cpio_entry("dev", mode=0o40755, ino=7) + cpio_entry("tmpfile", b"", ino=8) + trailer


def cmdline_seeds():
    yield "kargs_and_app", b"\x01bootstat ip=10.0.2.15/24 gw=10.0.2.2 -- app \"two words\" '' x\\ y"
    yield "quotes", b"\x05\"\" \"a\\\"b\" c\\\\ -- \"--\" -- --"
    yield "long_argv0", b"\x02" + b"w " * 300
    yield "bad_quote", b"\x01\"unterminated"


def http_seeds():
    yield "get", b"GET /index.html HTTP/1.1\r\nHost: x\r\n\r\n"
    yield "head_close", b"HEAD /a%20b?q=1 HTTP/1.0\r\nConnection: keep-alive, close\r\n\r\n"
    yield "post_body", b"\r\nPOST /form HTTP/1.1\nContent-Length: 5\nContent-Length: 5\n\nhello"
    yield "chunked", b"GET / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"


def main():
    for target, seeds in (("netrx", netrx_seeds), ("cpio", cpio_seeds), ("initrd", initrd_seeds),
                          ("cmdline", cmdline_seeds), ("http", http_seeds)):
        d = os.path.join(HERE, "corpus", target)
        os.makedirs(d, exist_ok=True)
        for name, data in seeds():
            with open(os.path.join(d, name), "wb") as f:
                f.write(data)
        print(f"{os.path.relpath(d)}: {len(os.listdir(d))} file(s)")


if __name__ == "__main__":
    main()
