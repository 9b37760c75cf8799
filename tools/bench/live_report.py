#!/usr/bin/env python3
"""The table of tools/bench/live.sh: medians over rounds, ratios to the
no-program baseline, issue 9's targets, memory, and the machine it ran on.
Prints Markdown; with --write FILE also writes it there."""
import argparse
import json
import os
import platform
import statistics
import subprocess
import time

BASELINE = "no program"
EMPTY_PASS = "XDP_PASS empty"
EMPTY_DROP = "XDP_DROP empty"
SHIPPED = "pktbpf"
DROP_BUILD = "pktbpf, drop build"


def load_runs(path, threads):
    """The runs on every thread by (row, label, flows), and the scaling runs
    on one thread (when the others had more) by (label, flows)."""
    rows, one = {}, {}
    with open(path) as f:
        for line in f:
            r = json.loads(line)
            if r.get("threads", threads) != threads:
                one.setdefault((r["label"], r["flows"]), []).append(r)
            else:
                rows.setdefault((r["row"], r["label"], r["flows"]), []).append(r)
    return rows, one


def scaling(by, one, threads):
    """Issue 4: the rate on every CPU against the rate on one."""
    if not one:
        return "Not measured: the run had one thread (LIVE_THREADS=1).", ""
    out = ["| receiver runs | flows | Mpps, 1 CPU | Mpps, %d CPUs | × |" % threads,
           "|---|---:|---:|---:|---:|"]
    lines = []
    for (label, flows) in sorted(one, key=lambda k: (k[1], k[0] != BASELINE, k[0])):
        s1, sn = summarize(one[(label, flows)]), by.get((label, flows))
        x = ratio(sn and sn["mpps"], s1["mpps"])
        out.append("| %s | %d | %s | %s | %s |" % (label, flows, fmt(s1["mpps"], ".3f"),
                                                   fmt(sn and sn["mpps"], ".3f"),
                                                   fmt(x, ".2f")))
        if label == SHIPPED and x is not None:
            lines.append("- pktbpf as shipped: %d receive CPUs >= 1.7x one (%d flows): "
                         "%.2fx: %s" % (threads, flows, x, verdict(x >= 1.7)))
    return "\n".join(out), "\n".join(lines)


def accepted(r):
    g = r["gen"]
    return g["peer_accepted"] if g["peer_accepted"] is not None else g["packets"]


def summarize(runs):
    """Medians of one row at one flow count."""
    def med(f):
        vals = [f(r) for r in runs]
        vals = [v for v in vals if v is not None]
        return statistics.median(vals) if vals else None

    sent = sum(accepted(r) for r in runs)
    s = {
        "n": len(runs),
        "mpps": med(lambda r: r["gen"]["packets_per_second"] / 1e6),
        "mpps_cpu": med(lambda r: r["gen"]["packets_per_cpu_second"] / 1e6),
        # CPU-seconds per million packets of the sending threads, which run
        # the receiver's softirq work too.
        "cpu_per_m": med(lambda r: r["gen"]["cpu_seconds"] / r["gen"]["packets"] * 1e6
                         if r["gen"]["packets"] else None),
        "sent": sent,
        "refused": sum(r["gen"]["peer_refused"] or 0 for r in runs),
        "seen": None, "dropped": None, "tool_per_m": None,
    }
    if runs[0]["counted"] is not None:
        s["seen"] = sum(r["counted"] for r in runs)
    if runs[0]["captured"] is not None:
        s["seen"] = sum(r["captured"] for r in runs)
        s["dropped"] = sum(r["dropped"] for r in runs)
        s["received"] = sum(r["received"] for r in runs)
        s["tool_per_m"] = med(lambda r: r["tool_cpu_ns"] / 1e9 / r["captured"] * 1e6
                              if r["captured"] else None)
    return s


def fmt(v, spec, none="–"):
    return none if v is None else format(v, spec)


def ratio(a, b):
    return a / b if a is not None and b else None


def table(rows):
    by_label = {}
    for (idx, label, flows), runs in rows.items():
        by_label[(label, flows)] = summarize(runs)
    order = sorted(rows, key=lambda k: (k[2], k[0]))
    out = ["| receiver runs | flows | Mpps | × none | Mpps per CPU | × none "
           "| CPU s / M pkts | seen / sent | tcpdump dropped / received "
           "| tool CPU s / M pkts |",
           "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for idx, label, flows in order:
        s = by_label[(label, flows)]
        base = by_label.get((BASELINE, flows))
        seen = None
        if s["seen"] is not None and s["sent"]:
            seen = "%d / %d (%.3f%%)" % (s["seen"], s["sent"], 100.0 * s["seen"] / s["sent"])
        out.append("| %s | %d | %s | %s | %s | %s | %s | %s | %s | %s |" % (
            label, flows, fmt(s["mpps"], ".3f"),
            fmt(ratio(s["mpps"], base and base["mpps"]), ".2f"),
            fmt(s["mpps_cpu"], ".3f"),
            fmt(ratio(s["mpps_cpu"], base and base["mpps_cpu"]), ".2f"),
            fmt(s["cpu_per_m"], ".3f"), seen or "–",
            "–" if s["dropped"] is None else "%d / %d" % (s["dropped"], s["received"]),
            fmt(s["tool_per_m"], ".3f")))
    return by_label, "\n".join(out)


def verdict(ok):
    return "–" if ok is None else ("met" if ok else "**missed**")


def targets(by, prog, extra):
    lines = []
    flows = sorted({f for (_, f) in by})
    # 1. pktbpf counts every packet that reaches the interface.
    for label in (SHIPPED, DROP_BUILD):
        for f in flows:
            s = by.get((label, f))
            if s and s["seen"] is not None:
                lines.append("- %s counts 100%% of the packets reaching the interface "
                             "(%s, %d flows): %d of %d: %s" % (
                                 label, "as shipped" if label == SHIPPED else "drop build",
                                 f, s["seen"], s["sent"], verdict(s["seen"] == s["sent"])))
    # 2. forced-drop build at >= 15 Mpps on two receive CPUs.
    for f in flows:
        s, d = by.get((DROP_BUILD, f)), by.get((EMPTY_DROP, f))
        if s:
            lines.append("- drop build >= 15 Mpps on two receive CPUs (%d flows, %d sending "
                         "and receiving threads): %.3f Mpps, %.3f Mpps per CPU: %s (an empty "
                         "XDP_DROP program, the generator's ceiling here: %s Mpps, %s per "
                         "CPU)" % (
                             f, extra["threads"], s["mpps"], s["mpps_cpu"],
                             verdict(s["mpps"] >= 15 and extra["threads"] >= 2),
                             fmt(d and d["mpps"], ".3f"), fmt(d and d["mpps_cpu"], ".3f")))
    # 3. as shipped >= 85% of an empty XDP_PASS program.
    for f in flows:
        s, e = by.get((SHIPPED, f)), by.get((EMPTY_PASS, f))
        if s and e:
            r, rc = ratio(s["mpps"], e["mpps"]), ratio(s["mpps_cpu"], e["mpps_cpu"])
            lines.append("- pktbpf as shipped >= 85%% of the empty XDP_PASS rate (%d flows): "
                         "%.1f%% per CPU, %.1f%% wall clock: %s (judged per CPU: the "
                         "wall-clock rate moves with the machine's other load)" % (
                             f, 100 * rc, 100 * r, verdict(rc >= 0.85)))
    # 4. CPU per packet at least 10x below tcpdump's per captured packet.
    # prog: bpftool's view of the empty program and of pktbpf after runs with
    # BPF statistics on; the empty one's time is the statistics' own.
    per_run = {}
    for p in prog:
        if p["prog"].get("run_cnt"):
            per_run.setdefault(p["label"], []).append(
                p["prog"]["run_time_ns"] / p["prog"]["run_cnt"])
    prog_ns = None
    if per_run.get(EMPTY_PASS) and per_run.get(SHIPPED):
        prog_ns = statistics.median(per_run[SHIPPED]) - statistics.median(per_run[EMPTY_PASS])
    for f in flows:
        p, e = by.get((SHIPPED, f)), by.get((EMPTY_PASS, f))
        t, n = by.get(("tcpdump", f)), by.get((BASELINE, f))
        pd, ed = by.get((DROP_BUILD, f)), by.get((EMPTY_DROP, f))
        if not (p and e and t and n) or t["tool_per_m"] is None:
            continue
        p_marg = p["cpu_per_m"] - e["cpu_per_m"]
        d_marg = pd["cpu_per_m"] - ed["cpu_per_m"] if pd and ed else None
        t_kern = t["cpu_per_m"] - n["cpu_per_m"]
        t_total = t_kern + t["tool_per_m"]
        p_total = prog_ns / 1e3 if prog_ns is not None else p_marg
        lines.append("- pktbpf's CPU per packet >= 10x below tcpdump's (%d flows): pktbpf "
                     "%.4f CPU s / M pkts (its XDP program's %s ns a packet over the empty "
                     "program's, by BPF run-time statistics; no userspace work); tcpdump "
                     "%.4f (its own process %.4f + kernel path over no program's %+.4f): "
                     "%.1fx: %s. Cross-checks from the send+receive CPU: pktbpf over the "
                     "empty program %+.4f (%sx), drop build over empty XDP_DROP %s (%sx); "
                     "the passing path costs ~%.2f CPU s / M pkts and moves by a few "
                     "percent from run to run, the size of pktbpf's share" % (
                         f, p_total, fmt(prog_ns, ".1f"), t_total, t["tool_per_m"], t_kern,
                         ratio(t_total, p_total) or 0,
                         verdict(p_total > 0 and t_total / p_total >= 10), p_marg,
                         fmt(ratio(t_total, p_marg) if p_marg > 0 else None, ".1f"),
                         fmt(d_marg, "+.4f"),
                         fmt(ratio(t_total, d_marg) if d_marg and d_marg > 0 else None, ".1f"),
                         e["cpu_per_m"]))
    return "\n".join(lines)


def memory(maps, rss):
    out = ["| map | type | max entries | bytes (bpftool memlock) |", "|---|---|---:|---:|"]
    total = 0
    for m in maps:
        total += m.get("bytes_memlock", 0)
        out.append("| %s | %s | %s | %s |" % (m.get("name"), m.get("type"),
                                              m.get("max_entries"), m.get("bytes_memlock")))
    out.append("| **total** | | | **%d** (%.1f KiB) |" % (total, total / 1024))
    stats = [int(v) for v in rss["stats"]]
    cli = ["`stats` %d KiB (median of %d)" % (statistics.median(stats), len(stats))]
    for cmd in ("watch", "serve"):
        v = rss[cmd]
        cli.append("`%s` %s" % (cmd, "%d KiB" % v if isinstance(v, int) else v))
    out += ["", "CLI peak RSS: " + ", ".join(cli)]
    return "\n".join(out)


def machine(extra):
    def sh(cmd):
        try:
            return subprocess.run(cmd, capture_output=True, text=True, check=False).stdout
        except OSError:
            return ""
    lscpu = {}
    for line in sh(["lscpu"]).splitlines():
        k, _, v = line.partition(":")
        lscpu[k.strip()] = v.strip()
    mem = ""
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal"):
                mem = "%.1f GiB" % (int(line.split()[1]) / 1024 / 1024)
    return "\n".join([
        "- CPU: %s, %s CPUs%s" % (lscpu.get("Model name", "?"), os.cpu_count(),
                                  ", hypervisor " + lscpu["Hypervisor vendor"]
                                  if "Hypervisor vendor" in lscpu else ""),
        "- memory: %s; kernel %s; %s" % (mem, platform.release(), extra["tcpdump_version"]),
        "- load average before: %s; after: %s (other work shares this machine: the "
        "per-CPU rates move less with it than the wall-clock ones)" % (
            extra["load_before"].strip(), extra["load_after"].strip()),
        "- run: %s, commit %s" % (time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                                  extra["commit"]),
    ])


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--dir", required=True, help="what live.sh left in $OUT/live")
    ap.add_argument("--write")
    a = ap.parse_args()

    def path(name):
        return os.path.join(a.dir, name)
    extra = json.load(open(path("extra.json")))
    rows, one = load_runs(path("runs.jsonl"), extra["threads"])
    by, tab = table(rows)
    scale_tab, scale_targets = scaling(by, one, extra["threads"])
    prog = [json.loads(line) for line in open(path("prog.jsonl"))]
    notes = [n for n in open(path("notes.txt")).read().splitlines() if n]
    doc = """# pktbpf live benchmark (`make bench`, tools/bench/live.sh)

%d-byte UDP frames from `build/trafficgen` (BPF_PROG_RUN live frames, %d
sending thread(s), one per CPU, as many receive queues) into one veth pair:
%s.

Each figure is the median of %d interleaved rounds of %s s; "seen / sent"
adds up all rounds: packets pktbpf counted (`stats`) or tcpdump captured,
against the frames the receiving veth accepted. Mpps per CPU: packets per
CPU-second of the sending threads, which also run the receive path (the
veth's NAPI, in their softirq). CPU s / M pkts: the same CPU per million
packets; tool CPU: tcpdump's own process. GRO is on at the receiver in every
row (a veth needs it, or an XDP program, to take XDP frames).

%s

## Scaling with receive CPUs (issue 4)

The same rows with one sending thread, so one CPU sends and receives,
beside the run on every thread (the table above), medians of the same
rounds.

%s

## Targets (issues 4 and 9)

%s

## Memory

%s

## Machine

%s
""" % (extra["size"], extra["threads"],
       "frames for another MAC, which the receiver's stack drops once XDP and the\n"
       "taps have seen them (the strictest case for an analyzer's share of the cost)"
       if extra["dst"] == "other" else "frames for the receiver, to a closed UDP port",
       extra["runs"], extra["seconds"], tab, scale_tab,
       "\n".join(t for t in (targets(by, prog, extra), scale_targets) if t),
       memory(json.load(open(path("maps.json"))), json.load(open(path("rss.json")))),
       machine(extra))
    if notes:
        doc += "\n## Not measured\n\n" + "\n".join("- " + n for n in notes) + "\n"
    print(doc)
    if a.write:
        os.makedirs(os.path.dirname(a.write) or ".", exist_ok=True)
        with open(a.write, "w") as f:
            f.write(doc)
        print("live: written to %s" % a.write)


if __name__ == "__main__":
    main()
