#!/usr/bin/env python3
"""Write the capture files the read tests need (all crafted here, 10.0.0.0/8
and 2001:db8::/32 addresses only).

  mkpcap.py DIR     writes every file below into DIR

good.pcap            Ethernet: 5 packets (TCP SYN, TCP SYN+ACK, UDP, ICMP echo, ARP)
good.pcapng          the same 5 as pcapng
sll2.pcap            LINUX_SLL2: IPv4/TCP, outgoing
null.pcap            NULL: IPv4/UDP (family 2 little-endian), IPv6/UDP (family 30 big-endian)
loop.pcap            LOOP: IPv6/ICMPv6 (family 24, network order)
raw.pcap             RAW: IPv4/UDP then IPv6/TCP (told apart by the version nibble)
ipv6.pcap            IPV6: IPv6/UDP
wlan.pcap            IEEE802_11 (not supported)
trunc-data.pcap      good.pcap cut inside the data of record 4
trunc-hdr.pcap       good.pcap cut inside the header of record 4
over-snaplen.pcap    snaplen 64, record 2 holds 100 bytes
over-256k.pcap       2 good records, then one claiming caplen 300000
empty.pcap           zero bytes
text.pcap            not a capture
good.pcap.gz         good.pcap compressed
cut.pcap.gz          good.pcap compressed, the gzip stream cut short
trunc.pcapng         good.pcapng cut inside its 4th packet block
"""
import gzip
import os
import struct
import sys

MAC_A = bytes.fromhex("020000000001")
MAC_B = bytes.fromhex("020000000002")
IP_A, IP_B = bytes([10, 9, 0, 1]), bytes([10, 9, 0, 2])
IP6_A = bytes.fromhex("20010db8000900000000000000000001")
IP6_B = bytes.fromhex("20010db8000900000000000000000002")


def eth(payload, etype):
    return MAC_B + MAC_A + struct.pack("!H", etype) + payload


def ipv4(payload, proto, ttl=64):
    return struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), 1, 0, ttl, proto, 0,
                       IP_A, IP_B) + payload


def ipv6(payload, nxt, hlim=64):
    return struct.pack("!IHBB16s16s", 6 << 28, len(payload), nxt, hlim, IP6_A, IP6_B) + payload


def tcp(sport, dport, flags):
    return struct.pack("!HHIIBBHHH", sport, dport, 1, 0, 5 << 4, flags, 1024, 0, 0)


def udp(sport, dport, data=b"hello"):
    return struct.pack("!HHHH", sport, dport, 8 + len(data), 0) + data


def icmp(typ, code=0):
    return struct.pack("!BBHI", typ, code, 0, 0x00010001) + b"ping"


def arp_request():
    return struct.pack("!HHBBH6s4s6s4s", 1, 0x0800, 6, 4, 1, MAC_A, IP_A, bytes(6), IP_B)


def good_frames():
    return [
        eth(ipv4(tcp(40000, 80, 0x02), 6), 0x0800),
        eth(ipv4(tcp(80, 40000, 0x12), 6), 0x0800),
        eth(ipv4(udp(5353, 53), 17), 0x0800),
        eth(ipv4(icmp(8), 1), 0x0800),
        eth(arp_request(), 0x0806),
    ]


def pcap(records, linktype=1, snaplen=65535):
    """records: frames, or (frame, caplen, wirelen) to lie in the record header."""
    out = [struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, snaplen, linktype)]
    for i, r in enumerate(records):
        data, caplen, wlen = r if isinstance(r, tuple) else (r, len(r), len(r))
        out.append(struct.pack("<IIII", 1700000000 + i, 1000 * i, caplen, wlen) + data)
    return b"".join(out)


def pcapng(frames, linktype=1):
    def block(btype, body):
        body += bytes(-len(body) % 4)
        n = 12 + len(body)
        return struct.pack("<II", btype, n) + body + struct.pack("<I", n)

    out = [block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1)),
           block(0x00000001, struct.pack("<HHI", linktype, 0, 0))]
    for i, f in enumerate(frames):
        ts = (1700000000 + i) * 1000000
        out.append(block(0x00000006, struct.pack("<IIIII", 0, ts >> 32, ts & 0xFFFFFFFF,
                                                  len(f), len(f)) + f))
    return b"".join(out)


def record_offset(data, n, first=24):
    """Byte offset of classic pcap record n (0-based)."""
    off = first
    for _ in range(n):
        off += 16 + struct.unpack_from("<I", data, off + 8)[0]
    return off


def main():
    d = sys.argv[1]
    os.makedirs(d, exist_ok=True)
    files = {}
    good = pcap(good_frames())
    files["good.pcap"] = good
    files["good.pcapng"] = pcapng(good_frames())
    sll2 = struct.pack("!HHIHBB8s", 0x0800, 0, 3, 1, 4, 6, MAC_A + bytes(2))
    files["sll2.pcap"] = pcap([sll2 + ipv4(tcp(40001, 443, 0x02), 6)], linktype=276)
    files["null.pcap"] = pcap([struct.pack("<I", 2) + ipv4(udp(1000, 2000), 17),
                               struct.pack(">I", 30) + ipv6(udp(3000, 4000), 17)], linktype=0)
    files["loop.pcap"] = pcap([struct.pack(">I", 24) + ipv6(icmp(128), 58)], linktype=108)
    files["raw.pcap"] = pcap([ipv4(udp(1001, 53), 17), ipv6(tcp(40002, 22, 0x02), 6)],
                             linktype=101)
    files["ipv6.pcap"] = pcap([ipv6(udp(5000, 6000), 17)], linktype=229)
    files["wlan.pcap"] = pcap([bytes(24)], linktype=105)
    cut = record_offset(good, 3)
    files["trunc-data.pcap"] = good[:cut + 16 + 10]
    files["trunc-hdr.pcap"] = good[:cut + 7]
    big = good_frames()[0] + bytes(100 - len(good_frames()[0]))
    files["over-snaplen.pcap"] = pcap([good_frames()[0][:64], big, good_frames()[2]],
                                      snaplen=64)
    files["over-256k.pcap"] = pcap(good_frames()[:2] + [(bytes(64), 300000, 300000)])
    files["empty.pcap"] = b""
    files["text.pcap"] = b"this is not a capture file, just some text\n" * 4
    files["good.pcap.gz"] = gzip.compress(good, mtime=0)
    files["cut.pcap.gz"] = gzip.compress(good, mtime=0)[:-30]
    ng = files["good.pcapng"]
    # SHB (28) + IDB (20), then packet blocks: cut inside the fourth.
    off = 48
    for _ in range(3):
        off += struct.unpack_from("<I", ng, off + 4)[0]
    files["trunc.pcapng"] = ng[:off + 20]
    for name, data in files.items():
        with open(os.path.join(d, name), "wb") as fh:
            fh.write(data)


if __name__ == "__main__":
    main()
