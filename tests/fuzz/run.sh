#!/usr/bin/env bash
# Run the capture-reader fuzzer for SECONDS, seeded with the crafted captures
# of tests/read/mkpcap.py (plain and gzip), the shared corpus if present and
# tests/fuzz/regressions/ (inputs that once crashed it; they run first).
# Prints executions and crashes; exits non-zero if it found a crash, leaving
# the input that crashed in $OUT/fuzz/ (crash-*), to keep as a regression case.
#   tests/fuzz/run.sh SECONDS
set -uo pipefail
cd "$(dirname "$0")/../.."
OUT=${OUT:-build}
secs=${1:-10}
bin=$OUT/fuzz/fuzz_read
corpus=${PB_CORPUS:-../shared/corpus}

[ -x "$bin" ] || { echo "fuzz: $bin is not built (make fuzz-build)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/live" "$work/seeds" "$work/found"
python3 tests/read/mkpcap.py "$work/seeds" || exit 1
[ -d "$corpus/pcap" ] && cp "$corpus"/pcap/* "$work/seeds/"
for f in "$work"/seeds/*.pcap; do gzip -c "$f" >"$f.gz"; done
cp tests/fuzz/regressions/* "$work/seeds/"

# -close_fd_mask=2: the reader's error messages on stderr would drown the
# log; libFuzzer keeps its own and the sanitizers' reports.
"$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
	-close_fd_mask=2 -print_final_stats=1 -artifact_prefix="$work/found/" \
	"$work/live" "$work/seeds" >"$work/log" 2>&1
rc=$?
execs=$(sed -nE 's/^stat::number_of_executed_units: *([0-9]+)/\1/p' "$work/log")
crashes=$(find "$work/found" -type f | wc -l)
[ "$crashes" -gt 0 ] && cp "$work"/found/* "$OUT/fuzz/"
echo "fuzz: ${execs:-0} executions in ${secs}s, $crashes crashes (exit status $rc)"
[ "$crashes" -gt 0 ] && echo "fuzz: the inputs are in $OUT/fuzz/: fix, then add them to tests/fuzz/regressions/"
if [ "$rc" -ne 0 ] || [ -z "$execs" ]; then
	tail -n 40 "$work/log"
	exit 1
fi
