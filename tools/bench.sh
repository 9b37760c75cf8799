#!/usr/bin/env bash
# make bench: run every benchmark section. A section is an executable
# $OUT/bench/NAME (built from tools/bench/NAME.c) or a script tools/bench/NAME.sh;
# each prints its own table of medians and ratios to a baseline measured in
# the same run.
set -uo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:-build}
status=0
for s in "$OUT"/bench/* tools/bench/*.sh; do
	[ -x "$s" ] || [[ $s == *.sh && -f $s ]] || continue
	[[ $s == *.d ]] && continue
	echo "=== $(basename "$s")"
	if [[ $s == *.sh ]]; then OUT=$OUT bash "$s"; else "$s"; fi || status=1
	echo
done
exit $status
