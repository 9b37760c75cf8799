#!/usr/bin/env python3
"""Check `pktbpf read --stats --json` capture facts against the corpus oracles.

For every capture: packets (capinfos "Number of packets"), frames and bytes on
the wire (the top line of tshark's protocol hierarchy, e.g. "eth frames:N
bytes:M") and the time span (capinfos "Capture duration", at the file's resolution).

  corpus_facts.py PKTBPF CORPUS
"""
import json
import os
import re
import subprocess
import sys


def oracle_facts(path):
    text = open(path).read()
    top = re.search(r"^Filter:.*\n\n(\S+)\s+frames:(\d+) bytes:(\d+)$", text, re.M)
    return {
        "packets": int(re.search(r"^Number of packets:\s+(\d+)", text, re.M).group(1)),
        "phs_frames": int(top.group(2)),
        "bytes": int(top.group(3)),
        "duration": re.search(r"^Capture duration:\s+([\d.]+) seconds", text, re.M).group(1),
    }


def main():
    pktbpf, corpus = sys.argv[1], sys.argv[2]
    bad = checked = 0
    for pcap in sorted(os.listdir(os.path.join(corpus, "pcap"))):
        name = pcap.rsplit(".", 1)[0]
        want = oracle_facts(os.path.join(corpus, "oracle", name + ".phs.txt"))
        run = subprocess.run([pktbpf, "read", "--stats", "--json",
                              os.path.join(corpus, "pcap", pcap)], capture_output=True, text=True)
        if run.returncode != 0:
            print(f"{name}: pktbpf read --stats exited {run.returncode}: {run.stderr.strip()}")
            bad += 1
            continue
        doc = json.loads(run.stdout)
        cap = doc["capture"]
        got = {
            "packets": cap["packets"],
            "phs_frames": doc["ingress"]["packets"] + doc["egress"]["packets"],
            "bytes": cap["bytes"],
        }
        # capinfos prints as many decimals as the file's time resolution.
        places = len(want["duration"].partition(".")[2])
        got["duration"] = f"{cap['duration_seconds']:.{places}f}"
        for key, value in want.items():
            checked += 1
            if got[key] != value:
                bad += 1
                print(f"{name}: {key}: pktbpf {got[key]!r}, tshark/capinfos {value!r}")
    print(f"{checked} capture facts compared, {bad} different")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
