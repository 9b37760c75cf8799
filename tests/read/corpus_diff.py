#!/usr/bin/env python3
"""Compare what `pktbpf read --json` decodes with tshark's answer key.

For every capture in CORPUS/pcap, each field pktbpf decodes is compared with
the matching tshark column of CORPUS/oracle/NAME.tsv (corpus README: columns,
`-E occurrence=f`, so the outermost header's value). Every difference must be
listed in corpus_exceptions.tsv (file, frame, field, reason), and every
listed difference must still occur: no blanket tolerance, no stale excuses.

  corpus_diff.py PKTBPF CORPUS            exit 1 on any unlisted or stale difference
  corpus_diff.py PKTBPF CORPUS --list     print every difference as exception rows
"""
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
EXCEPTIONS = os.path.join(HERE, "corpus_exceptions.tsv")


def num(s):
    """tshark prints decimal or 0x-hex; pktbpf's JSON has ints or 0x strings."""
    if s is None or s == "":
        return None
    if isinstance(s, int):
        return s
    return int(s, 16) if s.startswith("0x") else int(s)


def text(s):
    return None if s is None or s == "" else str(s)


def first_8021q_vid(pkt):
    # tshark's vlan.id covers 802.1Q tags (TPID 0x8100) only; an 802.1ad S-tag
    # is ieee8021ad.id, which is no column (corpus README).
    for tag in pkt.get("vlan", []):
        if tag["tpid"] == "0x8100":
            return tag["id"]
    return None


def ours(pkt):
    """tshark column -> pktbpf's value for it (None: pktbpf has no such field)."""
    l3 = pkt.get("l3_proto")
    proto = pkt.get("ip_proto")
    v4, v6 = l3 == "0x0800" and "src" in pkt, l3 == "0x86dd" and "src" in pkt
    f = {
        "frame.len": pkt["len"],
        "frame.cap_len": pkt["caplen"],
        "eth.src": pkt.get("eth_src"),
        "eth.dst": pkt.get("eth_dst"),
        "eth.type": num(pkt.get("ethertype")),
        "vlan.id": first_8021q_vid(pkt),
        "ip.src": pkt.get("src") if v4 else None,
        "ip.dst": pkt.get("dst") if v4 else None,
        "ip.proto": proto if v4 else None,
        "ip.ttl": pkt.get("ttl") if v4 else None,
        "ipv6.src": pkt.get("src") if v6 else None,
        "ipv6.dst": pkt.get("dst") if v6 else None,
        "ipv6.nxt": pkt.get("ipv6_next_header") if v6 else None,
        "tcp.srcport": pkt.get("sport") if proto == 6 else None,
        "tcp.dstport": pkt.get("dport") if proto == 6 else None,
        "tcp.flags": num(pkt.get("tcp_flags")),
        "udp.srcport": pkt.get("sport") if proto == 17 else None,
        "udp.dstport": pkt.get("dport") if proto == 17 else None,
        "icmp.type": pkt.get("icmp_type") if proto == 1 else None,
        "icmp.code": pkt.get("icmp_code") if proto == 1 else None,
        "icmpv6.type": pkt.get("icmp_type") if proto == 58 else None,
        "arp.opcode": pkt.get("arp_op"),
        "arp.src.proto_ipv4": pkt.get("arp_sender_ip"),
        "arp.dst.proto_ipv4": pkt.get("arp_target_ip"),
    }
    return f


NUMERIC = {"frame.len", "frame.cap_len", "eth.type", "vlan.id", "ip.proto", "ip.ttl",
           "ipv6.nxt", "tcp.srcport", "tcp.dstport", "tcp.flags", "udp.srcport",
           "udp.dstport", "icmp.type", "icmp.code", "icmpv6.type", "arp.opcode"}


def same(field, a, b):
    if field in NUMERIC:
        return num(a) == num(b)
    return text(a) == text(b)


def load_oracle(path):
    with open(path) as fh:
        rows = [line.rstrip("\n").split("\t") for line in fh]
    head = rows[0]
    return [dict(zip(head, r)) for r in rows[1:]]


def read_json(pktbpf, pcap):
    out = subprocess.run([pktbpf, "read", "--json", pcap], capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit(f"{pcap}: pktbpf read exited {out.returncode}: {out.stderr.strip()}")
    return [json.loads(line) for line in out.stdout.splitlines()]


def load_exceptions():
    listed = {}
    with open(EXCEPTIONS) as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip() or line.startswith("#"):
                continue
            cols = line.rstrip("\n").split("\t")
            if len(cols) != 4 or not cols[3].strip():
                raise SystemExit(f"{EXCEPTIONS}:{n}: want file, frames, field, reason")
            name, frames, field, reason = cols
            for part in frames.split(","):
                lo, _, hi = part.partition("-")
                for fr in range(int(lo), int(hi or lo) + 1):
                    listed[(name, fr, field)] = reason
    return listed


def main():
    pktbpf, corpus = sys.argv[1], sys.argv[2]
    list_mode = "--list" in sys.argv[3:]
    pcaps = sorted(os.listdir(os.path.join(corpus, "pcap")))
    diffs = []
    compared = 0
    for pcap in pcaps:
        name = pcap.rsplit(".", 1)[0]
        oracle = load_oracle(os.path.join(corpus, "oracle", name + ".tsv"))
        got = read_json(pktbpf, os.path.join(corpus, "pcap", pcap))
        if len(got) != len(oracle):
            diffs.append((name, 0, "frames", len(got), len(oracle)))
            continue
        for pkt, row in zip(got, oracle):
            fr = int(row["frame.number"])
            if pkt["frame"] != fr:
                raise SystemExit(f"{name}: frame numbering differs at {fr}")
            for field, value in ours(pkt).items():
                compared += 1
                if not same(field, value, row[field]):
                    diffs.append((name, fr, field, value, row[field]))
    if list_mode:
        for d in diffs:
            print(f"{d[0]}\t{d[1]}\t{d[2]}\tpktbpf {d[3]!r}, tshark {d[4]!r}")
        return 0
    listed = load_exceptions()
    seen = set()
    bad = 0
    for name, fr, field, a, b in diffs:
        key = (name, fr, field)
        if key in listed:
            seen.add(key)
            continue
        bad += 1
        print(f"DIFFERENT {name} frame {fr} {field}: pktbpf {a!r}, tshark {b!r}")
    for key in sorted(set(listed) - seen):
        bad += 1
        print(f"STALE EXCEPTION {key[0]} frame {key[1]} {key[2]}: no longer differs")
    print(f"{len(pcaps)} captures, {compared} field comparisons, {len(seen)} listed "
          f"differences, {bad} problems")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
