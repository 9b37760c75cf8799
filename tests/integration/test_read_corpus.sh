#!/usr/bin/env bash
# pktbpf read against an independent dissector: every capture of the shared
# corpus (../shared/corpus from the repository root, or $PB_CORPUS) decoded by
# pktbpf and compared with tshark's answer key, field by field, and its
# capture facts with capinfos'. Differences are listed one by one, with the
# reason, in tests/read/corpus_exceptions.tsv.
. "$(dirname "$0")/lib.sh"

CORPUS=${PB_CORPUS:-$PB_ROOT/../shared/corpus}

need_corpus() {
	[ -d "$CORPUS/pcap" ] && [ -d "$CORPUS/oracle" ] && return 0
	# CI lays shared/ beside the clone: there a missing corpus is a failure.
	[ "${CI:-}" = true ] && { pb_fail "no corpus at $CORPUS (CI must have shared/ beside the clone)"; return 1; }
	pb_skip "no corpus at $CORPUS: shared/ is not beside this checkout (set PB_CORPUS)"
}

test_fields_match_tshark() {
	need_corpus
	python3 "$PB_ROOT/tests/read/corpus_diff.py" "$PKTBPF" "$CORPUS"
}

test_capture_facts_match_capinfos() {
	need_corpus
	python3 "$PB_ROOT/tests/read/corpus_facts.py" "$PKTBPF" "$CORPUS"
}

# read --filter selects what tcpdump -r selects (tests/read/filter_vs_tcpdump.py);
# a bad expression is exit 2 with libpcap's message.
test_filter_selects_as_tcpdump() {
	local out f want all rc=0
	need_corpus
	python3 "$PB_ROOT/tests/read/filter_vs_tcpdump.py" "$PKTBPF" "$CORPUS"
	out=$("$PKTBPF" read --filter 'tcp prt 80' "$CORPUS/pcap/$(ls "$CORPUS/pcap" | head -n1)" \
		2>&1 >/dev/null) || rc=$?
	[ "$rc" -eq 2 ] || pb_fail "bad expression: status $rc, want 2"
	[[ $out == "pktbpf: filter 'tcp prt 80': "*"syntax error"* ]] || pb_fail "message: $out"
	# --stats counts the matching packets only, and says how many were read.
	f=$CORPUS/pcap/chrissanders__icmp_traceroute.pcapng
	want=$(tcpdump -r "$f" 'icmp[icmptype] = icmp-echo' 2>/dev/null | wc -l)
	all=$(tcpdump -r "$f" 2>/dev/null | wc -l)
	out=$("$PKTBPF" read --stats --json --filter 'icmp[icmptype] = icmp-echo' "$f")
	[ "$(echo "$out" | pb_json - '(d["capture"]["packets"], d["ingress"]["filter_matched"],
		d["capture"]["packets_read"])')" = "($want, $want, $all)" ] && [ "$want" -lt "$all" ] ||
		pb_fail "read --stats --filter: want $want of $all: $out"
}

test_every_capture_reads_cleanly() {
	local f n=0
	need_corpus
	for f in "$CORPUS"/pcap/*; do
		timeout 20 "$PKTBPF" read -vv "$f" >/dev/null 2>&1 || pb_fail "read -vv $f: status $?"
		n=$((n + 1))
	done
	[ "$n" -gt 0 ] || pb_fail "no capture in $CORPUS/pcap"
}

pb_run test_fields_match_tshark test_capture_facts_match_capinfos test_filter_selects_as_tcpdump \
	test_every_capture_reads_cleanly
pb_summary
