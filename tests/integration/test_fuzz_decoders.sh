#!/usr/bin/env bash
# A short libFuzzer run of every payload decoder (tests/fuzz/fuzz_*.c; `make
# fuzz` runs them longer). Fails on any crash, leak or hang, and if a fuzzer
# did not run at all.
. "$(dirname "$0")/lib.sh"

test_fuzz_decoders_briefly() {
	local log
	log=$(OUT=$OUT FUZZ_SECONDS=${PB_FUZZ_SECONDS:-2} "$PB_ROOT/tests/fuzz/decoders.sh") ||
		{ echo "$log"; return 1; }
	echo "$log"
	grep -qE '^decoder fuzzers: [1-9][0-9]* executions in total, 0 failed' <<<"$log" ||
		pb_fail "no executions reported"
	[ "$(grep -c ', 0 crashes$' <<<"$log")" -ge 9 ] || pb_fail "not every decoder was fuzzed"
}

pb_run test_fuzz_decoders_briefly
pb_summary
