#!/usr/bin/env bash
# The capture filter on a live link: attach --filter counts exactly the
# matching packets in filter_matched (every other counter sees them all) and
# samples only them for `watch`; `pktbpf filter` switches it live and
# --clear removes it; bad expressions are refused with libpcap's message
# before anything is loaded.
. "$(dirname "$0")/lib.sh"

# net: root, and this test's own namespace and veth pair (pb_run removes
# them when the test ends).
net() {
	pb_need_root
	pb_net flt 71 || pb_fail "cannot build the test network"
}

# send_udp PORT COUNT: UDP datagrams from the namespace to the root end
# (nobody listens: the root end answers each with ICMP port unreachable).
send_udp() {
	ip netns exec "$PB_NS" python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for _ in range(int(sys.argv[3])):
    s.sendto(b"pktbpf", (sys.argv[1], int(sys.argv[2])))' "$PB_A4" "$1" "$2"
}

# ping_a COUNT: echo requests from the namespace (replies leave the root end).
ping_a() {
	ip netns exec "$PB_NS" ping -q -c "$1" -i 0.01 -W 1 "$PB_A4" >/dev/null
}

# counter DIR FIELD: one field of `stats --json` for the root end.
counter() {
	"$PKTBPF" stats "$PB_A" --json | pb_json - "d['$1']['$2']"
}

reached() { [ "$(counter "$1" "$2")" -ge "$3" ]; }

# settle DIR FIELD WANT: wait until the counter reaches WANT, then it must be
# exactly WANT (XDP on a veth runs in NAPI, after the sender returns).
settle() {
	pb_wait 5 reached "$@" || true
	local got
	got=$(counter "$1" "$2")
	[ "$got" -eq "$3" ] || pb_fail "$1 $2: $got, want $3"
}

test_bad_expression_is_refused() {
	local out rc=0
	net
	out=$("$PKTBPF" attach "$PB_A" --filter 'udp prt 53' 2>&1) || rc=$?
	[ "$rc" -eq 2 ] || pb_fail "exit $rc, want 2"
	[[ $out == *"filter 'udp prt 53': "*"syntax error"* ]] || pb_fail "message: $out"
	[[ $out == *"pcap-filter"* ]] || pb_fail "no hint: $out"
	[ ! -e "$PKTBPF_PIN_ROOT/$PB_A" ] || pb_fail "pinned something anyway"
	"$PKTBPF" attach "$PB_A" --filter 'icmp' >/dev/null
	rc=0
	out=$("$PKTBPF" filter "$PB_A" 'host 10.71.0.300' 2>&1) || rc=$?
	[ "$rc" -eq 2 ] || pb_fail "filter: exit $rc, want 2"
	[[ $out == *"filter 'host 10.71.0.300': "* ]] || pb_fail "message: $out"
	[[ $("$PKTBPF" filter "$PB_A") == *"filter 'icmp'"* ]] ||
		pb_fail "the old filter did not stay"
	rc=0
	"$PKTBPF" filter "$PB_A" '' 2>/dev/null || rc=$?
	[ "$rc" -eq 2 ] || pb_fail "empty expression: exit $rc, want 2"
}

test_matched_counts_exactly() {
	net
	"$PKTBPF" attach "$PB_A" --filter 'udp port 53' >/dev/null
	send_udp 53 7
	send_udp 54 5
	ping_a 3
	settle ingress filter_matched 7
	# All-traffic counters stay unfiltered: 7 + 5 datagrams and 3 echo requests.
	settle ingress packets 15
	[ "$(counter egress filter_matched)" -eq 0 ] || pb_fail "egress matched ICMP errors"
	[ "$("$PKTBPF" stats "$PB_A" --json | pb_json - "d['filter']")" = "udp port 53" ] ||
		pb_fail "stats --json does not name the filter"
	"$PKTBPF" stats "$PB_A" | grep -q "^filter 'udp port 53': matched 7 in, 0 out" ||
		pb_fail "stats text does not show the filter"
}

test_switch_live_and_clear() {
	local in0 out0
	net
	"$PKTBPF" attach "$PB_A" --filter 'udp port 53' >/dev/null
	send_udp 53 4
	settle ingress filter_matched 4
	"$PKTBPF" filter "$PB_A" icmp | grep -q "filter 'icmp' (was 'udp port 53')" ||
		pb_fail "filter did not say what it replaced"
	send_udp 53 6
	ping_a 5
	# Echo requests in, echo replies out (and the port-unreachable errors:
	# ICMP too, so egress counts them; the kernel may rate-limit those).
	settle ingress filter_matched 9
	[ "$(counter egress filter_matched)" -ge 5 ] || pb_fail "echo replies not matched"
	"$PKTBPF" filter "$PB_A" udp port 54 | grep -q "filter 'udp port 54'" ||
		pb_fail "an expression in several words was not taken"
	send_udp 54 2
	settle ingress filter_matched 11
	"$PKTBPF" filter "$PB_A" --clear | grep -q "filter cleared (was 'udp port 54')" ||
		pb_fail "--clear did not say so"
	[ "$("$PKTBPF" filter "$PB_A")" = "$PB_A: no filter" ] || pb_fail "a filter remains"
	in0=$(counter ingress filter_matched)
	out0=$(counter egress filter_matched)
	send_udp 54 3
	ping_a 2
	settle ingress packets $((4 + 6 + 5 + 2 + 3 + 2))
	[ "$(counter ingress filter_matched)" -eq "$in0" ] || pb_fail "matched without a filter"
	[ "$(counter egress filter_matched)" -eq "$out0" ] || pb_fail "matched without a filter"
}

# watched N: the L4 protocol and destination port of the next N packets
# `watch` shows (they wait in the samples ring buffer), one per line.
watched() {
	timeout 20 "$PKTBPF" watch "$PB_A" --json -c "$1" 2>/dev/null |
		python3 -c 'import json, sys
for line in sys.stdin:
    d = json.loads(line)
    print(d.get("l4"), d.get("dport"))'
}

samples() {
	"$PKTBPF" stats "$PB_A" --json | pb_json - "d['samples']['$1']"
}

test_watch_shows_only_matching() {
	local out
	net
	# No --sample: a filter samples every packet it matches.
	"$PKTBPF" attach "$PB_A" --filter 'udp port 53' >/dev/null
	send_udp 54 5
	send_udp 53 6
	ping_a 2
	settle ingress filter_matched 6
	out=$(watched 6)
	[ "$(echo "$out" | sort | uniq -c | awk '{print $1, $2, $3}')" = "6 udp 53" ] ||
		pb_fail "watch showed: $out"
	[ "$(samples selected)" -eq 6 ] && [ "$(samples delivered)" -eq 6 ] ||
		pb_fail "sampled other packets: $("$PKTBPF" stats "$PB_A" --json | pb_json - "d['samples']")"
	# Switch live: from now on only port 54.
	"$PKTBPF" filter "$PB_A" udp port 54 >/dev/null
	send_udp 53 4
	send_udp 54 3
	settle ingress filter_matched 9
	out=$(watched 3)
	[ "$(echo "$out" | sort | uniq -c | awk '{print $1, $2, $3}')" = "3 udp 54" ] ||
		pb_fail "after the switch watch showed: $out"
	[ "$(samples selected)" -eq 9 ] || pb_fail "selected $(samples selected), want 9"
}

# filter_prog_id CHAIN: id of the program in slot 0 (the filter) of a chain.
filter_prog_id() {
	bpftool -j map lookup pinned "$PKTBPF_PIN_ROOT/$PB_A/pktbpf_$1_chain" key 0 0 0 0 |
		pb_json - "int(''.join(reversed([b[2:] for b in d['value']])), 16)"
}

prog_gone() { ! bpftool prog show id "$1" >/dev/null 2>&1; }

test_replace_and_detach() {
	local xdp tc
	net
	"$PKTBPF" attach "$PB_A" --no-egress --filter 'tcp' >/dev/null
	[ "$("$PKTBPF" filter "$PB_A" --json | pb_json - "d['filter']")" = tcp ] ||
		pb_fail "filter --json does not show it"
	"$PKTBPF" attach "$PB_A" --replace --filter 'udp' >/dev/null
	send_udp 99 3
	settle ingress filter_matched 3
	xdp=$(filter_prog_id xdp)
	[ "$xdp" -gt 0 ] && ! prog_gone "$xdp" || pb_fail "no filter program in the XDP chain"
	"$PKTBPF" attach "$PB_A" --replace >/dev/null
	[ "$("$PKTBPF" filter "$PB_A")" = "$PB_A: no filter" ] ||
		pb_fail "--replace kept the filter"
	pb_wait 5 prog_gone "$xdp" || pb_fail "the replaced filter program $xdp lives on"
	"$PKTBPF" filter "$PB_A" 'udp' >/dev/null
	xdp=$(filter_prog_id xdp) tc=$(filter_prog_id tc)
	[ "$tc" -gt 0 ] && ! prog_gone "$tc" || pb_fail "no filter program in the tc chain"
	"$PKTBPF" detach "$PB_A" >/dev/null
	[ ! -e "$PKTBPF_PIN_ROOT/$PB_A" ] ||
		pb_fail "detach left pins: $(ls "$PKTBPF_PIN_ROOT/$PB_A")"
	# The chains held the filter programs; with their pins gone, so are they.
	pb_wait 5 prog_gone "$xdp" || pb_fail "filter program $xdp outlived detach"
	pb_wait 5 prog_gone "$tc" || pb_fail "filter program $tc outlived detach"
}

pb_run test_bad_expression_is_refused test_matched_counts_exactly test_switch_live_and_clear \
	test_watch_shows_only_matching test_replace_and_detach
pb_summary
