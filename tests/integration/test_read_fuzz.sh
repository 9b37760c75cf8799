#!/usr/bin/env bash
# A short libFuzzer run of the capture reader, parser and printer (the
# harness is tests/fuzz/fuzz_read.c; `make fuzz` runs it longer). Fails on
# any crash, leak or hang, and if the fuzzer did not run at all.
. "$(dirname "$0")/lib.sh"

test_fuzz_read_briefly() {
	local log
	log=$(OUT=$OUT "$PB_ROOT/tests/fuzz/run.sh" "${PB_FUZZ_SECONDS:-10}") || { echo "$log"; return 1; }
	echo "$log"
	grep -qE '^fuzz: [1-9][0-9]* executions in .*, 0 crashes' <<<"$log" || pb_fail "no executions reported"
}

pb_run test_fuzz_read_briefly
pb_summary
