#!/usr/bin/python3
# SPDX-License-Identifier: BSD-2-Clause
"""What `pktbpf top` shows on a captured screen, checked against `stats --json`.

  top_screen.py match SCREEN STATS [FLOWS]
      Every number on the screen that `stats --json` also has must agree:
      packets and bytes since attach per direction, the protocol rows
      (traffic classes: packets, share, bytes), the alerts raised by type and
      the top talkers (its top_talkers.by_source); with FLOWS (`flows --json`)
      each flow row must be one of them with its numbers, and no flow left
      out larger than one shown. Prints each difference; exit 1 if there is
      one (or the screen shows no protocol rows).
  top_screen.py field SCREEN NAME
      Print one thing the screen shows: "in_pps", "out_pps", "in_spark",
      "sort", "paused", "lines", "width", "footer_line", "latest_alert".

The classes are derived here from the layered protocol counters of
`stats --json`, independently of the C code that does the same.
"""
import json
import math
import re
import sys

BLOCKS = "\u2581\u2582\u2583\u2584\u2585\u2586\u2587\u2588"
ROW = re.compile(r"^(\S+) +[\u2588#]* +(\d+\.\d) % +([\d,]+) +(\S+ ?\w?B)$")
DIR = re.compile(r"^(in|out) +(-|[\d.]+(?: [kMGTPE])?) (.*?) ([\d,]+) +([\d.]+ \w?B)$")


def si(n):
    """pb_fmt_si's bytes: '999 B', '1.23 kB', '12.3 MB', '123 kB'."""
    for i, p in enumerate(["", "k", "M", "G", "T"]):
        if abs(n) < 999.5 or p == "T":
            break
        n /= 1000.0
    if not i:
        return f"{n:.0f} B" if n == int(n) else f"{n:.2f} B"
    return f"{n:.2f} {p}B" if n < 9.995 else f"{n:.1f} {p}B" if n < 99.95 else f"{n:.0f} {p}B"


def classes(stats):
    out = {}
    for d in ("ingress", "egress"):
        p = {k: v["packets"] for k, v in stats[d]["protocols"].items()}
        b = {k: v["bytes"] for k, v in stats[d]["protocols"].items()}
        for name, f in (
            ("tcp", lambda x: x["tcp"]),
            ("udp", lambda x: x["udp"]),
            ("icmp", lambda x: x["icmp"] + x["icmpv6"]),
            ("other_ip", lambda x: x["ipv4"] + x["ipv6"] - x["tcp"] - x["udp"] - x["icmp"]
             - x["icmpv6"]),
            ("arp", lambda x: x["arp"]),
            ("other", lambda x: x["all"] - x["ipv4"] - x["ipv6"] - x["arp"]),
        ):
            pk, by = out.get(name, (0, 0))
            out[name] = (pk + f(p), by + f(b))
    return {k: v for k, v in out.items() if v[0]}


def parse(lines):
    rows, dirs = {}, {}
    for line in lines:
        line = line.rstrip()
        m = ROW.match(line)
        if m:
            rows[m.group(1)] = (float(m.group(2)), int(m.group(3).replace(",", "")),
                                m.group(4))
        m = DIR.match(line)
        if m:
            dirs[m.group(1)] = (m.group(2), m.group(3), int(m.group(4).replace(",", "")),
                                m.group(5))
    return rows, dirs


def alert_counts(lines):
    """{type: count} of the line 'Alerts (since attach: port_scan 2, ...)'."""
    for line in lines:
        m = re.match(r"^Alerts \(since attach: (.*)\)\s*$", line)
        if m:
            return {} if m.group(1) == "none" else {
                k: int(v) for k, v in (x.split(" ") for x in m.group(1).split(", "))}
    return None


def section(lines, head):
    """The rows under a heading starting with head and its column line."""
    start = [i for i, l in enumerate(lines) if l.startswith(head)]
    rows = []
    for line in lines[start[0] + 2:] if start else []:
        if not line.strip():
            break
        rows.append(line.rstrip())
    return rows


def sort_key(lines):
    footer = [l for l in lines if l.startswith(" q quit")]
    m = re.search(r"s sort: (\w+)", footer[0]) if footer else None
    return "packets" if m and m.group(1) == "packets" else "bytes"


def check_talkers(lines, stats, bad):
    shown = []
    for row in section(lines, "Top talkers by"):
        m = re.match(r"^(\S+) +([\d,]+) +(\S+ ?\w?B) +(\d+)$", row)
        if not m:
            bad.append(f"talker row unreadable: {row!r}")
            continue
        shown.append((m.group(1), int(m.group(2).replace(",", "")), m.group(3), int(m.group(4))))
    want = stats.get("top_talkers", {}).get("by_source", [])
    if want and not shown:
        bad.append("no talkers shown")
    for addr, pk, by, fl in shown:
        t = [x for x in want if x["address"] == addr]
        if not t:
            bad.append(f"talker {addr}: not among stats' top talkers")
        elif (t[0]["packets"], si(t[0]["bytes"]), t[0]["flows"]) != (pk, by, fl):
            bad.append(f"talker {addr}: {pk} packets, {by}, {fl} flows shown; stats {t[0]}")


def check_flows(lines, flows, bad):
    def ends(f):
        def ep(a, p):
            if not (f["src_port"] or f["dst_port"]):
                return a
            return f"[{a}]:{p}" if ":" in a else f"{a}:{p}"
        return ep(f["src"], f["src_port"]), ep(f["dst"], f["dst_port"])

    key = sort_key(lines)
    shown = []
    for row in section(lines, "Top flows by"):
        m = re.match(r"^(\S+) +(\S+) +(\S+) +([\d,]+) +(\S+ ?\w?B)$", row)
        if not m:
            bad.append(f"flow row unreadable: {row!r}")
            continue
        shown.append(m.groups())
    want = flows["flows"]
    picked = []
    for proto, a, b, pk, by in shown:
        f = [x for x in want if x["protocol"] == proto and ends(x) == (a, b)]
        if not f:
            bad.append(f"flow {proto} {a} {b}: not in flows --json")
            continue
        picked.append(f[0])
        if (f[0]["packets"], si(f[0]["bytes"])) != (int(pk.replace(",", "")), by):
            bad.append(f"flow {proto} {a} {b}: {pk} packets, {by} shown; flows --json "
                       f"{f[0]['packets']}, {f[0]['bytes']}")
    if want and not shown:
        bad.append("no flows shown")
    # Largest first: no flow left out is larger than one shown.
    if picked:
        least = min(x[key] for x in picked)
        for x in want:
            if x not in picked and x[key] > least:
                bad.append(f"flow {x['protocol']} {ends(x)} ({x[key]} {key}) left out")


def match(screen, stats, flows=None):
    lines = open(screen, encoding="utf-8").read().split("\n")
    stats = json.load(open(stats))
    rows, dirs = parse(lines)
    bad = []
    want = classes(stats)
    total = sum(v[0] for v in want.values())
    if not rows:
        bad.append("no protocol rows on the screen")
    for name, (pk, by) in want.items():
        if name not in rows:
            bad.append(f"{name}: not shown (stats: {pk} packets)")
            continue
        pct, spk, sby = rows[name]
        if spk != pk:
            bad.append(f"{name}: {spk} packets shown, stats {pk}")
        # Half up, as the C code rounds (Python's round() goes to even).
        if abs(pct - math.floor(1000 * pk / total + 0.5) / 10) > 1e-9:
            bad.append(f"{name}: {pct} % shown, stats {100 * pk / total:.2f} %")
        if sby != si(by):
            bad.append(f"{name}: {sby} shown, stats {by} bytes ({si(by)})")
    for name in rows:
        if name not in want:
            bad.append(f"{name}: shown, but stats has no such packets")
    if "alerts" in stats:
        raised = {k: v["raised"] for k, v in stats["alerts"].items() if v["raised"]}
        shown = alert_counts(lines)
        if shown != raised:
            bad.append(f"alerts since attach: {shown} shown, stats {raised}")
    for d, key in (("in", "ingress"), ("out", "egress")):
        if d not in dirs:
            bad.append(f"no '{d}' row")
            continue
        if dirs[d][2] != stats[key]["packets"]:
            bad.append(f"{d}: {dirs[d][2]} packets shown, stats {stats[key]['packets']}")
        if dirs[d][3] != si(stats[key]["bytes"]):
            bad.append(f"{d}: {dirs[d][3]} shown, stats {stats[key]['bytes']} bytes")
    check_talkers(lines, stats, bad)
    if flows:
        check_flows(lines, json.load(open(flows)), bad)
    for b in bad:
        print(b)
    return 1 if bad else 0


def field(screen, name):
    lines = open(screen, encoding="utf-8").read().rstrip("\n").split("\n")
    _, dirs = parse(lines)
    footer = [i for i, l in enumerate(lines) if l.startswith(" q quit")]
    if name in ("in_pps", "out_pps"):
        print(dirs[name[:-4]][0] if name[:-4] in dirs else "")
    elif name == "in_spark":
        print("".join(c for c in dirs.get("in", ("", "", 0, ""))[1] if c in BLOCKS))
    elif name == "sort":
        print(re.search(r"s sort: (\w+)", lines[footer[0]]).group(1) if footer else "")
    elif name == "paused":
        print("yes" if "[PAUSED]" in lines[0] else "no")
    elif name == "lines":
        print(len(lines))
    elif name == "width":
        print(max(len(l.rstrip()) for l in lines))
    elif name == "latest_alert":
        head = [i for i, l in enumerate(lines) if l.startswith("Alerts (since attach")]
        print(lines[head[0] + 1].strip() if head and head[0] + 1 < len(lines) else "")
    elif name == "footer_line":
        print(footer[0] + 1 if footer else 0)
    return 0


if __name__ == "__main__":
    if sys.argv[1] == "match":
        sys.exit(match(*sys.argv[2:5]))
    sys.exit(field(sys.argv[2], sys.argv[3]))
