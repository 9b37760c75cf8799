#!/usr/bin/env bash
# make bench section "read": pktbpf read over a generated mixed capture of
# 1,000,000 packets (tools/bench/read/gen_pcap.c), beside, in the same run:
#   - a bare libpcap pcap_next_ex loop that only counts (the floor for reading a file),
#   - tcpdump -nn -r FILE > /dev/null (text output),
#   - tshark -nr FILE -q -z io,phs (protocol hierarchy).
# Runs are interleaved (round robin) so that load from elsewhere spreads over
# all tools alike. Prints the median of PB_BENCH_RUNS (5) runs in packets per
# second of wall time, and of CPU time (user + system) which load from other
# processes disturbs less, and the ratios the targets are about.
set -uo pipefail
cd "$(dirname "$0")/../.."
OUT=${OUT:-build}
N=${PB_READ_BENCH_PACKETS:-1000000}
RUNS=${PB_BENCH_RUNS:-5}
PKTBPF=$OUT/pktbpf

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cc=${CC:-gcc}
$cc -O2 -Wall -Wextra -Werror -o "$work/gen_pcap" tools/bench/read/gen_pcap.c || exit 1
$cc -O2 -Wall -Wextra -Werror -o "$work/pcap_count" tools/bench/read/pcap_count.c -lpcap || exit 1
cap=$work/mixed.pcap
"$work/gen_pcap" "$cap" "$N" || exit 1
got=$("$work/pcap_count" "$cap")
[ "$got" = "$N" ] || { echo "read bench: the capture holds $got packets, not $N" >&2; exit 1; }
"$PKTBPF" read --stats "$cap" | grep -q "^  $N packets" || { echo "read bench: pktbpf read --stats disagrees on the count" >&2; exit 1; }

names=("bare pcap_next_ex loop" "pktbpf read --stats" "pktbpf read (1 line/pkt)" "tcpdump -nn -r" "tshark -q -z io,phs")
cmds=(
	"$work/pcap_count $cap"
	"$PKTBPF read --stats $cap"
	"$PKTBPF read $cap"
	"tcpdump -nn -r $cap"
	"tshark -nr $cap -q -z io,phs"
)
have() { command -v "${1%% *}" >/dev/null 2>&1 || [ -x "${1%% *}" ]; }

cat "$cap" >/dev/null # page cache: every tool reads from memory
TIMEFORMAT='%R %U %S'
for ((r = 1; r <= RUNS; r++)); do
	for i in "${!cmds[@]}"; do
		have "${cmds[$i]}" || continue
		t=$( { time ${cmds[$i]} >/dev/null 2>&1; } 2>&1 )
		echo "$i $t" >>"$work/times"
	done
done

python3 - "$work/times" "$N" "$RUNS" "$(du -m "$cap" | cut -f1)" "${names[@]}" <<'PY'
import statistics, sys
path, n, runs, mb, names = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5:]
wall, cpu = {}, {}
for line in open(path):
    i, r, u, s = line.split()
    wall.setdefault(int(i), []).append(float(r))
    cpu.setdefault(int(i), []).append(float(u) + float(s))
rate = lambda secs: n / secs / 1e6 if secs > 0 else float("inf")
print(f"read: {n} packets, {mb} MB mixed capture, median of {runs} runs (interleaved)")
print(f"  {'':26} {'wall s':>8} {'Mpkt/s':>8} {'cpu s':>8} {'Mpkt/s':>8}  {'x bare (wall, cpu)':>18}")
med = {}
for i, name in enumerate(names):
    if i not in wall:
        print(f"  {name:26} not installed")
        continue
    w, c = statistics.median(wall[i]), statistics.median(cpu[i])
    med[i] = (w, c)
    bw, bc = med[0]
    print(f"  {name:26} {w:8.3f} {rate(w):8.3f} {c:8.3f} {rate(c):8.3f}  {bw / w:8.2f} {bc / c:8.2f}")
def verdict(ok):
    return "met" if ok else "MISSED"
if 1 in med:
    print(f"  target read --stats >= 0.5 x bare loop: wall {med[0][0] / med[1][0]:.2f}, "
          f"cpu {med[0][1] / med[1][1]:.2f}: {verdict(med[0][0] / med[1][0] >= 0.5)}")
if 2 in med and 3 in med:
    print(f"  target read (1 line/pkt) faster than tcpdump: {med[3][0] / med[2][0]:.1f}x "
          f"(cpu {med[3][1] / med[2][1]:.1f}x): {verdict(med[2][0] < med[3][0])}")
if 1 in med and 4 in med:
    print(f"  read --stats vs tshark io,phs: {med[4][0] / med[1][0]:.0f}x faster; "
          f"vs tcpdump: {med[3][0] / med[1][0]:.0f}x" if 3 in med else "")
PY
