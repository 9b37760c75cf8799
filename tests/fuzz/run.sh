#!/usr/bin/env bash
# Run every decoder fuzzer for FUZZ_SECONDS each (make test: a few seconds;
# make fuzz: longer), seeded from the shared corpus, and report executions
# and crashes in cmocka's summary form. A crash fails the run and leaves the
# input that caused it in $OUT/fuzz/crashes/.
#   FUZZ_SECONDS=3 tests/fuzz/run.sh
set -uo pipefail
cd "$(dirname "$0")/../.."
OUT=${OUT:-build}
SECS=${FUZZ_SECONDS:-3}
CORPUS=${PB_CORPUS:-../shared/corpus}
seeds=$OUT/fuzz/seeds
passed=0 failed=0 total_execs=0
mkdir -p "$OUT/fuzz/crashes" "$OUT/fuzz/work"
[ -d "$seeds/frame" ] || "$OUT/fuzz/make_seeds" "$CORPUS" "$seeds" >/dev/null
echo "[==========] Running fuzzers, ${SECS}s each"
for f in "$OUT"/fuzz/fuzz_*; do
	[ -x "$f" ] || continue
	name=${f##*/fuzz_}
	work=$OUT/fuzz/work/$name
	mkdir -p "$work"
	[ -d "$seeds/$name" ] && cp -n "$seeds/$name"/* "$work"/ 2>/dev/null
	echo "[ RUN      ] fuzz_$name"
	log=$("$f" -max_total_time="$SECS" -rss_limit_mb=1024 -max_len=2048 \
		-artifact_prefix="$OUT/fuzz/crashes/$name-" -print_final_stats=1 "$work" 2>&1)
	rc=$?
	execs=$(sed -nE 's/^stat::number_of_executed_units: *([0-9]+).*/\1/p' <<<"$log" | tail -n1)
	execs=${execs:-0}
	total_execs=$((total_execs + execs))
	if [ $rc -eq 0 ]; then
		echo "[       OK ] fuzz_$name: $execs executions, 0 crashes"
		passed=$((passed + 1))
	else
		grep -E "ERROR|SUMMARY|Test unit written" <<<"$log" | head -n 5
		echo "[  FAILED  ] fuzz_$name: crashed after $execs executions"
		failed=$((failed + 1))
	fi
done
echo "[==========] $((passed + failed)) fuzzer(s) run, $total_execs executions in total."
echo "[  PASSED  ] $passed test(s)."
[ $failed -gt 0 ] && echo "[  FAILED  ] $failed test(s)."
[ $failed -eq 0 ]
