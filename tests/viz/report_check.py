#!/usr/bin/python3
# SPDX-License-Identifier: BSD-2-Clause
"""Check a `pktbpf report` image and the data behind it.

  report_check.py IMAGE DATA [STATS [FLOWS]]
      IMAGE must be a well-formed PNG, SVG or PDF (by its extension) of the
      size DATA (the --data-json document) gives; DATA's charts must be self-
      consistent (each time series, rate x bin width summed, gives back the
      class totals; the stacked axis covers the tallest stack; one series per
      class with packets); with STATS (`pktbpf read FILE --stats --json`),
      the classes, packet count and time span must be the capture's, derived
      here from the layered protocol counters, and with `read --stats --alerts
      --json` the alerts by type those the detectors raised; with FLOWS
      (`read --flows --json`) the top flows must be the largest by bytes,
      each with its numbers, and the top talkers what each address sent,
      summed here over the flows.
      Prints each problem; exit 1 if there is one.
"""
import json
import math
import re
import struct
import sys
import xml.etree.ElementTree as ET

CLASSES = ["tcp", "udp", "icmp", "other_ip", "arp", "other"]
bad = []


def image_size(path):
    data = open(path, "rb").read()
    if path.endswith(".png"):
        if data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
            bad.append("not a PNG")
            return None
        if data[-8:-4] != b"IEND":
            bad.append("PNG without its IEND chunk (cut short?)")
        return struct.unpack(">II", data[16:24])
    if path.endswith(".svg"):
        root = ET.fromstring(data)
        if root.tag != "{http://www.w3.org/2000/svg}svg":
            bad.append(f"SVG root is {root.tag}")
            return None
        return tuple(int(float(root.get(k).rstrip("pt"))) for k in ("width", "height"))
    if path.endswith(".pdf"):
        if not data.startswith(b"%PDF-") or not data.rstrip().endswith(b"%%EOF"):
            bad.append("not a complete PDF")
            return None
        m = re.search(rb"/MediaBox \[ ?0 0 (\d+) (\d+) ?\]", data)
        return (int(m.group(1)), int(m.group(2))) if m else None
    bad.append(f"unknown image type: {path}")
    return None


def classes_of(stats):
    out = {c: [0, 0] for c in CLASSES}
    for d in ("ingress", "egress"):
        for k, i in (("packets", 0), ("bytes", 1)):
            x = {n: v[k] for n, v in stats[d]["protocols"].items()}
            out["tcp"][i] += x["tcp"]
            out["udp"][i] += x["udp"]
            out["icmp"][i] += x["icmp"] + x["icmpv6"]
            out["other_ip"][i] += x["ipv4"] + x["ipv6"] - x["tcp"] - x["udp"] - x["icmp"] \
                - x["icmpv6"]
            out["arp"][i] += x["arp"]
            out["other"][i] += x["all"] - x["ipv4"] - x["ipv6"] - x["arp"]
    return out


def close(a, b):
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-6)


def check_data(d):
    bin_s = d["bin_seconds"]
    charts = {c["title"].split(",")[0]: c for c in d["charts"]}
    with_packets = [c for c in CLASSES if d["classes"][c]["packets"]]
    for title, key, scale in (("Packets per second", "packets", 1), ("Bits per second", "bytes", 8)):
        c = charts.get(title)
        if not c:
            bad.append(f"no chart '{title}'")
            continue
        if c["series"] != with_packets:
            bad.append(f"{title}: series {c['series']}, classes with packets {with_packets}")
        tallest = 0
        for i in range(d["bins"]):
            tallest = max(tallest, sum(c["values"][s][i] for s in c["series"]))
        if tallest > c["y_max"] * (1 + 1e-9):
            bad.append(f"{title}: axis to {c['y_max']}, a stack reaches {tallest}")
        for s in c["series"]:
            if len(c["values"][s]) != d["bins"]:
                bad.append(f"{title}/{s}: {len(c['values'][s])} values for {d['bins']} bins")
            total = sum(c["values"][s]) * bin_s / scale
            if not close(total, d["classes"][s][key]):
                bad.append(f"{title}/{s}: the bins add up to {total}, the total is "
                           f"{d['classes'][s][key]}")
        if len(c["x_ticks"]) < 2 or not c["x_ticks"][0].startswith("0 "):
            bad.append(f"{title}: x ticks {c['x_ticks']}")
        if not c["x_title"].startswith("time since ") or not c["x_title"].endswith(" UTC"):
            bad.append(f"{title}: x title {c['x_title']!r}")
    if d["alerts"] and "Alerts" not in charts:
        bad.append("alerts but no alerts chart")
    if not d["alerts"] and "Alerts" in charts:
        bad.append("an alerts chart without alerts")
    if sum(d["alerts_by_type"].values()) != d["alerts"]:
        bad.append("alerts by type do not add up")
    if "Alerts" in charts:
        c = charts["Alerts"]
        if c["series"] != list(d["alerts_by_type"]):
            bad.append(f"alerts series {c['series']}, types {list(d['alerts_by_type'])}")
        for s in c["series"]:
            if sum(c["values"][s]) != d["alerts_by_type"][s]:
                bad.append(f"alerts/{s}: bins add up to {sum(c['values'][s])}")
    protos = charts.get("Protocols (share of packets)")
    if protos and sorted(b["label"] for b in protos["bars"]) != sorted(with_packets):
        bad.append(f"protocol bars {[b['label'] for b in protos['bars']]}")
    if sum(d["classes"][c]["packets"] for c in CLASSES) != d["packets"]:
        bad.append("the classes do not add up to the packets")


def check_stats(d, stats):
    want = classes_of(stats)
    for c in CLASSES:
        got = [d["classes"][c]["packets"], d["classes"][c]["bytes"]]
        if got != want[c]:
            bad.append(f"class {c}: report {got}, read --stats {want[c]}")
    if "alerts" in stats:
        raised = {k: v["raised"] for k, v in stats["alerts"].items() if v["raised"]}
        if d["alerts_by_type"] != raised:
            bad.append(f"alerts {d['alerts_by_type']}, read --alerts raised {raised}")
    cap = stats["capture"]
    if d["packets"] != cap["packets"] or d["bytes"] != cap["bytes"]:
        bad.append(f"report {d['packets']} packets {d['bytes']} bytes, capture "
                   f"{cap['packets']}, {cap['bytes']}")
    if d["first"] != cap["first"] or d["last"] != cap["last"]:
        bad.append(f"span {d['first']}..{d['last']}, capture {cap['first']}..{cap['last']}")


def flow_label(f):
    def ep(a, p):
        if not (f["src_port"] or f["dst_port"]):
            return a
        return f"[{a}]:{p}" if ":" in a else f"{a}:{p}"
    label = f"{f['protocol']} {ep(f['src'], f['src_port'])} \u2194 {ep(f['dst'], f['dst_port'])}"
    return label + (f" vlan {f['vlan']}" if f["vlan"] else "")


def largest(rows, want, key, what):
    """rows (label, packets, bytes) must be in want, and none left out larger."""
    picked = []
    for r in rows:
        if r[key] not in want:
            bad.append(f"{what} {r[key]}: not in the capture's")
            continue
        w = want[r[key]]
        picked.append(r[key])
        if (w["packets"], w["bytes"]) != (r["packets"], r["bytes"]):
            bad.append(f"{what} {r[key]}: {r['packets']} packets {r['bytes']} bytes, "
                       f"the capture's {w['packets']}, {w['bytes']}")
    if len(rows) != min(10, len(want)):
        bad.append(f"{len(rows)} {what}s of {len(want)}")
    if picked:
        least = min(want[k]["bytes"] for k in picked)
        for k, w in want.items():
            if k not in picked and w["bytes"] > least:
                bad.append(f"{what} {k} ({w['bytes']} bytes) left out")


def check_flows(d, flows):
    want = {flow_label(f): f for f in flows["flows"]}
    largest(d["top_flows"], want, "flow", "flow")
    sent = {}
    for f in flows["flows"]:
        for end in ("src", "dst"):
            if f[end + "_packets"]:
                t = sent.setdefault(f[end], {"packets": 0, "bytes": 0})
                t["packets"] += f[end + "_packets"]
                t["bytes"] += f[end + "_bytes"]
    largest(d["top_talkers"], sent, "address", "talker")


def main():
    image, data = sys.argv[1], json.load(open(sys.argv[2]))
    size = image_size(image)
    want = (int(data["image"]["width"]), int(data["image"]["height"]))
    if size != want:
        bad.append(f"image is {size}, the layout says {want}")
    check_data(data)
    if len(sys.argv) > 3:
        check_stats(data, json.load(open(sys.argv[3])))
    if len(sys.argv) > 4:
        check_flows(data, json.load(open(sys.argv[4])))
    for b in bad:
        print(b)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
