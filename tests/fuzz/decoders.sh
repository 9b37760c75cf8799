#!/usr/bin/env bash
# Run every payload decoder's fuzzer (tests/fuzz/fuzz_<decoder>.c and
# fuzz_frame.c) for FUZZ_SECONDS each (make test: a few seconds, through
# tests/integration/test_fuzz_decoders.sh; make fuzz: longer), seeded from
# the shared corpus. Prints executions and crashes per fuzzer and in total;
# exits non-zero on a crash, leaving the input in $OUT/fuzz/crashes/.
#   FUZZ_SECONDS=3 tests/fuzz/decoders.sh
set -uo pipefail
cd "$(dirname "$0")/../.."
OUT=${OUT:-build}
SECS=${FUZZ_SECONDS:-3}
CORPUS=${PB_CORPUS:-../shared/corpus}
seeds=$OUT/fuzz/seeds
total_execs=0
mkdir -p "$OUT/fuzz/crashes" "$OUT/fuzz/work"
[ -d "$seeds/frame" ] || "$OUT/fuzz/make_seeds" "$CORPUS" "$seeds" >/dev/null
failed=0
for f in "$OUT"/fuzz/fuzz_*; do
	[ -x "$f" ] || continue
	name=${f##*/fuzz_}
	[ "$name" = read ] && continue # tests/fuzz/run.sh runs it
	work=$OUT/fuzz/work/$name
	mkdir -p "$work"
	[ -d "$seeds/$name" ] && cp -n "$seeds/$name"/* "$work"/ 2>/dev/null
	log=$("$f" -max_total_time="$SECS" -rss_limit_mb=1024 -max_len=2048 \
		-artifact_prefix="$OUT/fuzz/crashes/$name-" -print_final_stats=1 "$work" 2>&1)
	rc=$?
	execs=$(sed -nE 's/^stat::number_of_executed_units: *([0-9]+).*/\1/p' <<<"$log" | tail -n1)
	execs=${execs:-0}
	total_execs=$((total_execs + execs))
	if [ $rc -eq 0 ] && [ "$execs" -gt 0 ]; then
		echo "fuzz_$name: $execs executions, 0 crashes"
	else
		grep -E "ERROR|SUMMARY|Test unit written" <<<"$log" | head -n 5
		echo "fuzz_$name: FAILED after $execs executions"
		failed=$((failed + 1))
	fi
done
echo "decoder fuzzers: $total_execs executions in total, $failed failed"
[ $failed -eq 0 ]
