#!/usr/bin/env python3
"""`pktbpf read --filter EXPR FILE` selects what `tcpdump -r FILE EXPR` selects.

For every capture of CORPUS/pcap and each expression below, tcpdump writes
the packets it selects to a new capture; `pktbpf read --json` of that capture
must equal `pktbpf read --filter EXPR --json` of the original, packet by
packet, frame numbers aside (--filter keeps the original file's, and each
must name the same packet in the unfiltered read). An expression libpcap
refuses for a capture's link type must be refused by both (pktbpf: exit 2).

  filter_vs_tcpdump.py PKTBPF CORPUS
"""
import json
import os
import subprocess
import sys
import tempfile

EXPRS = [
    "tcp",
    "udp port 53",
    "icmp or icmp6",
    "vlan and (arp or udp)",
    "ip6 and not icmp6",
    "tcp[13] & 2 != 0",
    "len > 100 and not arp",
    "host 172.16.16.128 or net 192.168.0.0/16",
    "ip broadcast",
    "ether multicast",
]


def read_json(pktbpf, *args):
    p = subprocess.run([pktbpf, "read", "--json", *args], capture_output=True, text=True)
    return p.returncode, [json.loads(line) for line in p.stdout.splitlines()], p.stderr


def without_frame(pkts):
    return [{k: v for k, v in p.items() if k != "frame"} for p in pkts]


def main():
    pktbpf, corpus = sys.argv[1], sys.argv[2]
    pcaps = sorted(os.listdir(os.path.join(corpus, "pcap")))
    bad = pairs = selected = refused = 0
    with tempfile.TemporaryDirectory() as tmp:
        for name in pcaps:
            path = os.path.join(corpus, "pcap", name)
            _, every, _ = read_json(pktbpf, path)
            by_frame = {p["frame"]: p for p in every}
            for expr in EXPRS:
                out = os.path.join(tmp, "sel.pcap")
                if os.path.exists(out):
                    os.unlink(out)
                subprocess.run(["tcpdump", "-r", path, "--time-stamp-precision=nano", "-w",
                                out, expr], capture_output=True)
                rc, got, err = read_json(pktbpf, path, "--filter", expr)
                pairs += 1
                if not os.path.exists(out):  # tcpdump could not compile it
                    refused += 1
                    if rc != 2 or "filter '" not in err:
                        print("%s '%s': tcpdump refuses it, pktbpf: status %d, %s"
                              % (name, expr, rc, err.strip()))
                        bad += 1
                    continue
                _, want, _ = read_json(pktbpf, out)
                selected += len(want)
                if without_frame(got) != without_frame(want):
                    print("%s '%s': pktbpf selects %d packets, tcpdump %d"
                          % (name, expr, len(got), len(want)))
                    bad += 1
                    continue
                for p in got:
                    if by_frame.get(p["frame"]) != p:
                        print("%s '%s': frame %d is not the file's frame %d"
                              % (name, expr, p["frame"], p["frame"]))
                        bad += 1
                        break
    print("%d captures x %d expressions: %d selections compared (%d packets, %d refused "
          "by both), %d differ" % (len(pcaps), len(EXPRS), pairs, selected, refused, bad))
    sys.exit(1 if bad or not selected else 0)


main()
