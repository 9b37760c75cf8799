#!/usr/bin/env bash
# make bench section "report": pktbpf report over the read benchmark's mixed
# capture (tools/bench/read/gen_pcap.c, 1,000,000 packets by default), to
# PNG, SVG and PDF, beside in the same run what it is built on:
#   - pktbpf read --stats (the baseline: the same reading, parsing, counting),
#   - pktbpf read --flows and read --alerts (the flow table and detectors a
#     report also runs over a file).
# Interleaved runs; medians of PB_BENCH_RUNS (5) of wall and CPU time, and
# each one's ratio to read --stats: what the charts cost on top of reading.
set -uo pipefail
cd "$(dirname "$0")/../.."
OUT=${OUT:-build}
N=${PB_REPORT_BENCH_PACKETS:-1000000}
RUNS=${PB_BENCH_RUNS:-5}
PKTBPF=$OUT/pktbpf

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
${CC:-gcc} -O2 -Wall -Wextra -Werror -o "$work/gen_pcap" tools/bench/read/gen_pcap.c || exit 1
cap=$work/mixed.pcap
"$work/gen_pcap" "$cap" "$N" || exit 1
"$PKTBPF" report "$cap" -o "$work/check.png" --data-json "$work/check.json" ||
	{ echo "report bench: the report failed" >&2; exit 1; }
python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); sys.exit(d["packets"] != int(sys.argv[2]))' \
	"$work/check.json" "$N" || { echo "report bench: the report does not count $N packets" >&2; exit 1; }

names=("pktbpf read --stats" "pktbpf read --flows" "pktbpf read --alerts" "pktbpf report -o PNG"
	"pktbpf report -o SVG" "pktbpf report -o PDF")
cmds=(
	"$PKTBPF read --stats $cap"
	"$PKTBPF read --flows $cap"
	"$PKTBPF read --alerts $cap"
	"$PKTBPF report $cap -o $work/r.png"
	"$PKTBPF report $cap -o $work/r.svg"
	"$PKTBPF report $cap -o $work/r.pdf"
)

cat "$cap" >/dev/null # page cache: every run reads from memory
TIMEFORMAT='%R %U %S'
for ((r = 1; r <= RUNS; r++)); do
	for i in "${!cmds[@]}"; do
		t=$( { time ${cmds[$i]} >/dev/null 2>&1; } 2>&1 )
		echo "$i $t" >>"$work/times"
	done
done

python3 - "$work/times" "$N" "$RUNS" "${names[@]}" <<'PY'
import statistics, sys
path, n, runs, names = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4:]
wall, cpu = {}, {}
for line in open(path):
    i, r, u, s = line.split()
    wall.setdefault(int(i), []).append(float(r))
    cpu.setdefault(int(i), []).append(float(u) + float(s))
print(f"report: {n} packets of a mixed capture, median of {runs} runs (interleaved)")
print(f"  {'':24} {'wall s':>8} {'cpu s':>8} {'Mpkt/s':>8}  {'x read --stats (wall, cpu)':>26}")
bw, bc = statistics.median(wall[0]), statistics.median(cpu[0])
for i, name in enumerate(names):
    w, c = statistics.median(wall[i]), statistics.median(cpu[i])
    print(f"  {name:24} {w:8.3f} {c:8.3f} {n / w / 1e6:8.3f}  {w / bw:12.2f} {c / bc:12.2f}")
PY
