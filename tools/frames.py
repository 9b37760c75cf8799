#!/usr/bin/python3
# SPDX-License-Identifier: BSD-2-Clause
"""Traffic generator for the tests and the demo, and the counters it must produce.

  frames.py send IFACE KIND [-n N] [--marker M] [addresses, ports, --flags ...]
      Send N crafted Ethernet frames of KIND out of IFACE through an AF_PACKET
      socket; print one JSON line {"kind", "count", "len", "flags", "ethertype"}
      that `expect` reads back.
  frames.py recv IFACE --marker M -n N [--ready FILE] [--timeout S]
      Count the frames arriving on IFACE (not those it sends) that carry the
      marker; exit once N have arrived or at the timeout; print the count.
  frames.py udp-recv ADDR PORT -n N [--ready FILE] [--timeout S]
  frames.py udp-send ADDR PORT -n N [--size BYTES]
      Real UDP traffic through the kernel's sockets.
  frames.py expect LOG
      From JSON lines (those of `send`, each with a "dir" added), the exact
      counters pktbpf must report, shaped like `pktbpf stats --json`.
  frames.py compare EXPECTED STATS
      Compare every counter of STATS (a `pktbpf stats --json` document) with
      EXPECTED; print each difference; exit 1 if there is one.

Every frame carries the marker in its payload, so a receiver can prove that
each one was delivered. Frames go by default to a unicast MAC address that is
neither end of the link: the receiving stack drops them at once as
"other host" (no replies, no forwarding), while XDP, tc and packet sockets
still see them, so the test controls exactly what is on the wire. Use it
only on links a test or the demo built (10.0.0.0/8, 2001:db8::/32).
"""
import argparse
import ipaddress
import json
import os
import select
import socket
import struct
import sys
import time

ETH_P_ALL = 0x0003
PACKET_OUTGOING = 4
# Locally administered unicast (IEEE 802, bit 1 of the first octet).
OTHER_HOST_MAC = "02:00:00:00:00:fe"

TCP_FLAG_BITS = "FSRPAUEC"  # bit 0 .. bit 7 of the TCP flags octet (RFC 9293)
TCP_FLAG_NAMES = ["fin", "syn", "rst", "psh", "ack", "urg", "ece", "cwr"]


def mac_bytes(mac):
    return bytes(int(x, 16) for x in mac.split(":"))


def iface_mac(iface):
    with open(f"/sys/class/net/{iface}/address") as f:
        return f.read().strip()


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def ipv4(a, proto, payload, ihl=5, tot_len=None, frag=0):
    """RFC 791 header; ihl and tot_len can be set wrong on purpose."""
    tot = 20 + len(payload) if tot_len is None else tot_len
    hdr = struct.pack("!BBHHHBBH4s4s", 0x40 | ihl, 0, tot, 0x1234, frag, 64, proto, 0,
                      socket.inet_aton(a.src4), socket.inet_aton(a.dst4))
    hdr = hdr[:10] + struct.pack("!H", checksum(hdr)) + hdr[12:]
    return hdr + payload


def ipv6(a, nexthdr, payload, plen=None):
    """RFC 8200 fixed header."""
    plen = len(payload) if plen is None else plen
    return (struct.pack("!IHBB", 6 << 28, plen, nexthdr, 64) +
            ipaddress.IPv6Address(a.src6).packed + ipaddress.IPv6Address(a.dst6).packed +
            payload)


def udp(a, payload, ulen=None):
    """RFC 768; checksum 0 (none), which IPv4 allows and the parser ignores."""
    ulen = 8 + len(payload) if ulen is None else ulen
    return struct.pack("!HHHH", a.sport, a.dport, ulen, 0) + payload


def tcp(a, payload, doff=5):
    flags = 0
    for ch in a.flags:
        flags |= 1 << TCP_FLAG_BITS.index(ch)
    return struct.pack("!HHIIBBHHH", a.sport, a.dport, 1, 0, doff << 4, flags, 65535, 0,
                       0) + payload


def icmp_echo(a, payload, type_):
    """Echo request: ICMP type 8 (RFC 792) or ICMPv6 type 128 (RFC 4443)."""
    return struct.pack("!BBHHH", type_, 0, 0, 0x4242, 1) + payload


def vlan(vid, inner_type):
    """IEEE 802.1Q tag after its TPID (the ethertype before it): PCP/DEI/VID,
    then the inner ethertype."""
    return struct.pack("!HH", vid & 0x0FFF, inner_type)


def arp_request(a):
    """RFC 826 Ethernet/IPv4 request."""
    return struct.pack("!HHBBH6s4s6s4s", 1, 0x0800, 6, 4, 1, mac_bytes(a.src_mac),
                       socket.inet_aton(a.src4), b"\0" * 6, socket.inet_aton(a.dst4))


def ipv6_frag(nexthdr, offset8, more, payload):
    """RFC 8200 section 4.5 fragment header."""
    return struct.pack("!BBHI", nexthdr, 0, (offset8 << 3) | (1 if more else 0), 0x5eed) + payload


# Each kind: (ethertype after Ethernet, builder of the bytes after it, and
# what pktbpf must count for one frame of it). "protocols" are counter names
# beside "all"; "ip" the IP protocol number counted; "tcp" means the TCP flags
# given with --flags count; "malformed" the reason.
def _udp4(a, p): return ipv4(a, 17, udp(a, p))
def _tcp4(a, p): return ipv4(a, 6, tcp(a, p))
def _icmp4(a, p): return ipv4(a, 1, icmp_echo(a, p, 8))
def _udp6(a, p): return ipv6(a, 17, udp(a, p))
def _tcp6(a, p): return ipv6(a, 6, tcp(a, p))
def _icmp6(a, p): return ipv6(a, 58, icmp_echo(a, p, 128))
def _vlan_udp4(a, p): return vlan(100, 0x0800) + _udp4(a, p)
# 802.1ad service tag (TPID 0x88a8) outside a customer tag (0x8100).
def _qinq_udp4(a, p): return vlan(200, 0x8100) + vlan(100, 0x0800) + _udp4(a, p)
def _arp(a, p): return arp_request(a) + p  # the marker rides in the frame's padding


# The first fragment's UDP length covers the whole datagram, of which this
# fragment carries only part (RFC 791: offset in 8-byte units, MF flag 0x2000).
def _frag4_first(a, p): return ipv4(a, 17, udp(a, p, ulen=8 + len(p) + 1000), frag=0x2000)
def _frag4_later(a, p): return ipv4(a, 17, p, frag=185)
def _frag6_first(a, p): return ipv6(a, 44, ipv6_frag(17, 0, True, udp(a, p, ulen=8 + len(p) + 1000)))
def _frag6_later(a, p): return ipv6(a, 44, ipv6_frag(17, 185, False, p))
def _bad_ihl(a, p): return ipv4(a, 17, udp(a, p), ihl=4)
def _bad_tot_len(a, p): return ipv4(a, 17, udp(a, p), tot_len=20 + 8 + len(p) + 100)
def _bad_doff(a, p): return ipv4(a, 6, tcp(a, p, doff=4))
def _bad_ulen(a, p): return ipv4(a, 17, udp(a, p, ulen=4))
def _other(a, p): return p


KINDS = {
    "udp4": (0x0800, _udp4, {"protocols": ["ipv4", "udp"], "ip": 17}),
    "tcp4": (0x0800, _tcp4, {"protocols": ["ipv4", "tcp"], "ip": 6, "tcp": True}),
    "icmp4": (0x0800, _icmp4, {"protocols": ["ipv4", "icmp"], "ip": 1}),
    "udp6": (0x86DD, _udp6, {"protocols": ["ipv6", "udp"], "ip": 17}),
    "tcp6": (0x86DD, _tcp6, {"protocols": ["ipv6", "tcp"], "ip": 6, "tcp": True}),
    "icmp6": (0x86DD, _icmp6, {"protocols": ["ipv6", "icmpv6"], "ip": 58}),
    "vlan-udp4": (0x8100, _vlan_udp4, {"protocols": ["vlan", "ipv4", "udp"], "ip": 17}),
    "qinq-udp4": (0x88A8, _qinq_udp4, {"protocols": ["vlan", "ipv4", "udp"], "ip": 17}),
    "arp": (0x0806, _arp, {"protocols": ["arp"]}),
    "ipv4-frag-first": (0x0800, _frag4_first,
                        {"protocols": ["ipv4", "udp", "ipv4_fragment"], "ip": 17}),
    # A later fragment has no L4 header: counted as a fragment and by number only.
    "ipv4-frag-later": (0x0800, _frag4_later, {"protocols": ["ipv4", "ipv4_fragment"], "ip": 17}),
    "ipv6-frag-first": (0x86DD, _frag6_first,
                        {"protocols": ["ipv6", "udp", "ipv6_fragment"], "ip": 17}),
    "ipv6-frag-later": (0x86DD, _frag6_later, {"protocols": ["ipv6", "ipv6_fragment"], "ip": 17}),
    # Malformed at L3: the ethertype still says IPv4, nothing above it counts.
    "ipv4-bad-ihl": (0x0800, _bad_ihl, {"protocols": ["ipv4"], "malformed": "ipv4_bad_ihl"}),
    "ipv4-bad-total-length": (0x0800, _bad_tot_len,
                              {"protocols": ["ipv4"], "malformed": "ipv4_bad_total_length"}),
    # Malformed at L4: the L4 header is there (and counted), its length is not.
    "tcp4-bad-data-offset": (0x0800, _bad_doff,
                             {"protocols": ["ipv4", "tcp"], "ip": 6, "tcp": True,
                              "malformed": "tcp_bad_data_offset"}),
    "udp4-bad-length": (0x0800, _bad_ulen,
                        {"protocols": ["ipv4", "udp"], "ip": 17, "malformed": "udp_bad_length"}),
    "other": (None, _other, {"protocols": ["other_l3"], "ethertype": True}),
}


def build_frame(a, kind):
    ethertype, build, _ = KINDS[kind]
    ethertype = a.ethertype if ethertype is None else ethertype
    payload = a.marker.encode() + b"\0" * max(0, a.pad)
    eth = mac_bytes(a.dst_mac) + mac_bytes(a.src_mac) + struct.pack("!H", ethertype)
    return eth + build(a, payload), ethertype


def cmd_send(a):
    a.src_mac = a.src_mac or iface_mac(a.iface)
    frame, ethertype = build_frame(a, a.kind)
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((a.iface, 0))
    for _ in range(a.n):
        if s.send(frame) != len(frame):
            sys.exit(f"frames: {a.iface}: short send")
    s.close()
    print(json.dumps({"kind": a.kind, "count": a.n, "len": len(frame), "flags": a.flags,
                      "ethertype": ethertype}))


def ready(path):
    if path:
        with open(path, "w") as f:
            f.write(f"{os.getpid()}\n")


def count_until(sock, n, timeout, match):
    """Receive until n datagrams matched or timeout; return the count."""
    got, deadline = 0, time.monotonic() + timeout
    while got < n:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([sock], [], [], left)[0]:
            break
        data, addr = sock.recvfrom(65535)
        got += 1 if match(data, addr) else 0
    return got


def cmd_recv(a):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 22)
    s.bind((a.iface, ETH_P_ALL))
    marker = a.marker.encode()
    ready(a.ready)
    got = count_until(s, a.n, a.timeout,
                      lambda d, addr: addr[2] != PACKET_OUTGOING and marker in d)
    print(got)
    sys.exit(0 if got == a.n else 1)


def cmd_udp_recv(a):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((a.addr, a.port))
    ready(a.ready)
    got = count_until(s, a.n, a.timeout, lambda d, addr: True)
    print(got)
    sys.exit(0 if got == a.n else 1)


def cmd_udp_send(a):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    for _ in range(a.n):
        s.sendto(b"u" * a.size, (a.addr, a.port))
    # One Ethernet/IPv4/UDP frame per datagram (no IP options, no fragmentation).
    print(json.dumps({"kind": "udp4", "count": a.n, "len": 14 + 20 + 8 + a.size}))


def expect_from(lines):
    dirs = {}
    for line in lines:
        if not line.strip():
            continue
        r = json.loads(line)
        d = dirs.setdefault(r["dir"], {"protocols": {}, "ip_protocols": {}, "ethertypes": {},
                                       "tcp_flags": {}, "malformed": {}})
        n, size = r["count"], r["len"]
        what = KINDS[r["kind"]][2]

        def add(table, key, bytes_too=True):
            c = table.setdefault(key, {"packets": 0, "bytes": 0} if bytes_too else 0)
            if bytes_too:
                c["packets"] += n
                c["bytes"] += n * size
            else:
                table[key] = c + n

        for p in ["all"] + what["protocols"]:
            add(d["protocols"], p)
        if "ip" in what:
            add(d["ip_protocols"], str(what["ip"]))
        if what.get("ethertype"):
            add(d["ethertypes"], "0x%04x" % r["ethertype"])
        if what.get("tcp"):
            for ch in r.get("flags", ""):
                add(d["tcp_flags"], TCP_FLAG_NAMES[TCP_FLAG_BITS.index(ch)], False)
        if "malformed" in what:
            add(d["malformed"], what["malformed"], False)
            add(d["malformed"], "total", False)
    return dirs


def cmd_expect(a):
    with open(a.log) as f:
        json.dump(expect_from(f), sys.stdout, indent=1, sort_keys=True)
    print()


def compare(exp, got):
    """Every counter in got must equal the expected one (0 when not expected)."""
    diffs = []
    zero = {"packets": 0, "bytes": 0}
    for dir_ in ("ingress", "egress"):
        e, g = exp.get(dir_, {}), got[dir_]
        ep = e.get("protocols", {})

        def check(path, want, have):
            if want != have:
                diffs.append(f"{dir_}.{path}: expected {want}, got {have}")

        check("packets", ep.get("all", zero)["packets"], g["packets"])
        check("bytes", ep.get("all", zero)["bytes"], g["bytes"])
        for name, c in g["protocols"].items():
            check(f"protocols.{name}", ep.get(name, zero), c)
        for table in ("ip_protocols", "ethertypes"):
            for key in sorted(set(g[table]) | set(e.get(table, {}))):
                check(f"{table}.{key}", e.get(table, {}).get(key, zero), g[table].get(key, zero))
        for name, v in g["tcp_flags"].items():
            check(f"tcp_flags.{name}", e.get("tcp_flags", {}).get(name, 0), v)
        for name, v in g["malformed"].items():
            check(f"malformed.{name}", e.get("malformed", {}).get(name, 0), v)
        for name in e.get("protocols", {}):
            if name not in g["protocols"]:
                diffs.append(f"{dir_}.protocols.{name}: missing from the output")
        check("capture_truncated", 0, g["capture_truncated"])
    return diffs


def cmd_compare(a):
    with open(a.expected) as f:
        exp = json.load(f)
    with open(a.stats) as f:
        got = json.load(f)
    diffs = compare(exp, got)
    for d in diffs:
        print(d)
    sys.exit(1 if diffs else 0)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)

    p = sub.add_parser("send")
    p.add_argument("iface")
    p.add_argument("kind", choices=sorted(KINDS))
    p.add_argument("-n", type=int, default=1)
    p.add_argument("--marker", default="pktbpf-test")
    p.add_argument("--pad", type=int, default=0, help="zero bytes after the marker")
    p.add_argument("--src-mac")
    p.add_argument("--dst-mac", default=OTHER_HOST_MAC)
    p.add_argument("--src4", default="10.254.0.1")
    p.add_argument("--dst4", default="10.254.0.2")
    p.add_argument("--src6", default="2001:db8::1")
    p.add_argument("--dst6", default="2001:db8::2")
    p.add_argument("--sport", type=int, default=40000)
    p.add_argument("--dport", type=int, default=9)
    p.add_argument("--flags", default="", help="TCP flags as letters of " + TCP_FLAG_BITS)
    p.add_argument("--ethertype", type=lambda s: int(s, 0), default=0x88B5,
                   help="for kind 'other' (default 0x88b5, IEEE local experimental)")
    p.set_defaults(fn=cmd_send)

    p = sub.add_parser("recv")
    p.add_argument("iface")
    p.add_argument("--marker", default="pktbpf-test")
    p.add_argument("-n", type=int, required=True)
    p.add_argument("--ready")
    p.add_argument("--timeout", type=float, default=10)
    p.set_defaults(fn=cmd_recv)

    p = sub.add_parser("udp-recv")
    p.add_argument("addr")
    p.add_argument("port", type=int)
    p.add_argument("-n", type=int, required=True)
    p.add_argument("--ready")
    p.add_argument("--timeout", type=float, default=10)
    p.set_defaults(fn=cmd_udp_recv)

    p = sub.add_parser("udp-send")
    p.add_argument("addr")
    p.add_argument("port", type=int)
    p.add_argument("-n", type=int, default=1)
    p.add_argument("--size", type=int, default=32)
    p.set_defaults(fn=cmd_udp_send)

    p = sub.add_parser("expect")
    p.add_argument("log")
    p.set_defaults(fn=cmd_expect)

    p = sub.add_parser("compare")
    p.add_argument("expected")
    p.add_argument("stats")
    p.set_defaults(fn=cmd_compare)

    a = ap.parse_args()
    if getattr(a, "flags", "") and any(ch not in TCP_FLAG_BITS for ch in a.flags):
        ap.error(f"--flags: letters of {TCP_FLAG_BITS} only")
    a.fn(a)


if __name__ == "__main__":
    main()
