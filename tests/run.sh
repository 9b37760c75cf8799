#!/usr/bin/env bash
# Run every test of pktbpf and end with one line: "N passed, N failed[, N skipped]".
#   tests/run.sh [--programs] [FILTER]
#     FILTER       a substring of the test program paths to run
#     --programs   the unit and BPF program tests only (make quick): no
#                  sanitizer copies, no integration tests
# Each test program prints cmocka's summary lines ("[  PASSED  ] N test(s).");
# the shell integration tests print the same through tests/integration/lib.sh.
# A program that dies without a summary counts as one failure.
set -uo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:-build}
programs_only=0
if [ "${1:-}" = --programs ]; then
	programs_only=1
	shift
fi
filter=${1:-}

passed=0 failed=0 skipped=0
failures=()

run_one() {
	local name=$1; shift
	local log rc p f s
	log=$(mktemp)
	echo "=== $name"
	"$@" 2>&1 | tee "$log"
	rc=${PIPESTATUS[0]}
	p=$(sed -nE 's/^\[  PASSED  \] ([0-9]+) test\(s\)\..*/\1/p' "$log" | tail -n1)
	f=$(sed -nE 's/^\[  FAILED  \] ([0-9]+) test\(s\).*/\1/p' "$log" | tail -n1)
	s=$(sed -nE 's/^\[  SKIPPED \] ([0-9]+) test\(s\).*/\1/p' "$log" | tail -n1)
	rm -f "$log"
	p=${p:-0} f=${f:-0} s=${s:-0}
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "[  FAILED  ] $name exited with status $rc without a failure summary"
		f=1
	fi
	passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
	[ "$f" -gt 0 ] && failures+=("$name")
	return 0
}

want() { [ -z "$filter" ] || [[ $1 == *"$filter"* ]]; }

# The shared corpus (captures and tshark's decodes) for every test that reads
# it, as PB_CORPUS: shared/ beside this checkout, or beside the repository it
# was cloned from when that is a local one (a clone made elsewhere, say by
# mktemp). A test that finds none says so.
if [ -z "${PB_CORPUS:-}" ]; then
	origin=$(git config --get remote.origin.url 2>/dev/null)
	for c in "$PWD/../shared/corpus" ${origin:+"$origin/../shared/corpus"}; do
		if [ -d "$c/pcap" ]; then
			PB_CORPUS=$(cd "$c" && pwd)
			export PB_CORPUS
			break
		fi
	done
fi

programs=("$OUT"/tests/unit/test_* "$OUT"/tests/bpf/test_*)
[ "$programs_only" = 1 ] || programs+=("$OUT"/asan/tests/unit/test_*)
for t in "${programs[@]}"; do
	[ -x "$t" ] && [[ $t != *.d ]] && want "$t" || continue
	run_one "$t" "$t"
done
for t in tests/integration/test_*.sh; do
	[ "$programs_only" = 0 ] || break
	[ -f "$t" ] && want "$t" || continue
	run_one "$t" env OUT="$OUT" bash "$t"
done

echo
[ ${#failures[@]} -gt 0 ] && printf 'failed in: %s\n' "${failures[@]}"
line="$passed passed, $failed failed"
[ "$skipped" -gt 0 ] && line="$line, $skipped skipped"
echo "$line"
[ "$failed" -eq 0 ]
