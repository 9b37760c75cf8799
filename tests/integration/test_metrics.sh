#!/usr/bin/env bash
# pktbpf metrics: the exposition of real attachments after real traffic
# passes promtool and says exactly what `stats --json` says.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/serve_lib.sh"

# ICMP (some fragmented), UDP, a refused TCP connection, and three frames of
# an ethertype pktbpf does not parse (0x88b5, IEEE 802 local experimental)
# sent from the namespace end, on the veth pair.
send_traffic() {
	ip netns exec "$PB_NS" python3 -c 'import socket, sys
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind((sys.argv[1], 0))
dst, src = bytes.fromhex(sys.argv[2].replace(":", "")), bytes.fromhex(sys.argv[3].replace(":", ""))
for i in range(3): s.send(dst + src + b"\x88\xb5" + bytes(46 + i))' "$PB_B" "$PB_MAC_A" "$PB_MAC_B"
	ping -c 5 -i 0.05 -q "$PB_B4" >/dev/null
	ping -c 2 -i 0.05 -s 3000 -q "$PB_B4" >/dev/null
	python3 -c 'import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(4): s.sendto(b"x" * (10 + i), (sys.argv[1], 9))' "$PB_B4"
	! timeout 5 bash -c "exec 3<>/dev/tcp/$PB_B4/9" 2>/dev/null
}

# promtool's lint must find nothing: it exits non-zero and says what on problems.
promtool_clean() {
	local out
	out=$(promtool check metrics <"$1" 2>&1) || { echo "$out" >&2; pb_fail "promtool check metrics failed"; return 1; }
	[ -z "$out" ] || { echo "$out" >&2; pb_fail "promtool check metrics complained"; }
}

test_metrics_promtool_and_stats() {
	local dir m s
	pb_need_root
	trap pb_test_cleanup EXIT
	dir=$(mktemp -d)
	pb_net m 91
	"$PKTBPF" attach "$PB_A" >/dev/null
	send_traffic
	"$PKTBPF" metrics >"$dir/all.prom"
	"$PKTBPF" stats "$PB_A" --json >"$dir/stats.json"
	"$PKTBPF" metrics "$PB_A" >"$dir/one.prom"
	promtool_clean "$dir/all.prom"
	promtool_clean "$dir/one.prom"
	# The traffic shows (the comparison below is not 0 == 0).
	for m in "direction=ingress protocol=icmp" "direction=egress protocol=udp"; do
		s=$(pb_metric "$dir/all.prom" pktbpf_packets_total device="$PB_A" $m)
		[ "${s:-0}" -gt 0 ] || pb_fail "no packets for $m"
	done
	s=$(pb_metric "$dir/all.prom" pktbpf_fragments_total device="$PB_A" direction=egress protocol=ipv4)
	[ "${s:-0}" -ge 6 ] || pb_fail "expected >= 6 egress IPv4 fragments, got '$s'"
	s=$(pb_metric "$dir/all.prom" pktbpf_ethertype_packets_total device="$PB_A" direction=ingress ethertype=0x88b5)
	[ "$s" = 3 ] || pb_fail "expected 3 frames of ethertype 0x88b5, got '$s'"
	s=$(pb_metric "$dir/all.prom" pktbpf_tcp_flags_total device="$PB_A" direction=ingress flag=rst)
	[ "${s:-0}" -ge 1 ] || pb_fail "expected the refusal's RST, got '$s'"
	pb_metrics_match_stats "$dir/all.prom" "$dir/stats.json"
	pb_metrics_match_stats "$dir/one.prom" "$dir/stats.json"
	s=$(pb_metric "$dir/all.prom" pktbpf_attached_info device="$PB_A" state=attached egress=true)
	[ "$s" = 1 ] || pb_fail "no pktbpf_attached_info for $PB_A"
	rm -rf "$dir"
}

test_metrics_names_and_netns() {
	local dir
	pb_need_root
	trap pb_test_cleanup EXIT
	dir=$(mktemp -d)
	pb_net n 92
	"$PKTBPF" attach "$PB_A" >/dev/null
	"$PKTBPF" attach "$PB_B" --netns "$PB_NS" >/dev/null
	ping -c 2 -i 0.05 -q "$PB_B4" >/dev/null
	"$PKTBPF" metrics >"$dir/all.prom"
	"$PKTBPF" metrics "$PB_A" >"$dir/a.prom"
	"$PKTBPF" metrics --netns "$PB_NS" >"$dir/ns.prom"
	"$PKTBPF" metrics --netns "$PB_NS" "$PB_B" >"$dir/b.prom"
	promtool_clean "$dir/all.prom"
	promtool_clean "$dir/ns.prom"
	[ "$(pb_metric "$dir/all.prom" pktbpf_packets_total device="$PB_A" direction=egress protocol=icmp)" -ge 2 ]
	[ "$(pb_metric "$dir/all.prom" pktbpf_packets_total device="$PB_B" netns="$PB_NS" direction=ingress protocol=icmp)" -ge 2 ]
	# netns only where the interface is not in the current namespace
	pb_refute grep -q "device=\"$PB_A\",netns=" "$dir/all.prom"
	pb_refute grep -q "device=\"$PB_B\"" "$dir/a.prom"
	pb_refute grep -q "device=\"$PB_A\"" "$dir/ns.prom"
	grep -q "device=\"$PB_B\",netns=\"$PB_NS\"" "$dir/ns.prom"
	cmp -s "$dir/ns.prom" "$dir/b.prom" || pb_fail "metrics --netns NS and metrics --netns NS IFACE differ"
	"$PKTBPF" stats "$PB_B" --netns "$PB_NS" --json >"$dir/b.json"
	pb_metrics_match_stats "$dir/b.prom" "$dir/b.json"
	rm -rf "$dir"
}

test_metrics_usage() {
	local out rc
	pb_need_root
	trap pb_test_cleanup EXIT
	"$PKTBPF" metrics --help | grep -q "Usage: pktbpf metrics"
	rc=0; "$PKTBPF" metrics --bogus >/dev/null 2>&1 || rc=$?
	[ "$rc" -eq 2 ] || pb_fail "bad option: exit $rc, want 2"
	rc=0; out=$("$PKTBPF" metrics "${PB_PREFIX}nope" 2>&1 >/dev/null) || rc=$?
	[ "$rc" -eq 2 ] || pb_fail "not attached: exit $rc, want 2"
	[[ $out == "pktbpf: ${PB_PREFIX}nope: "* ]] || pb_fail "error form: $out"
	# Nothing attached: the families' HELP and TYPE and the host-wide samples.
	out=$("$PKTBPF" metrics)
	promtool check metrics <<<"$out"
	grep -q '^pktbpf_build_info{version="' <<<"$out"
	pb_refute grep -q 'device=' <<<"$out"
}

pb_run test_metrics_promtool_and_stats test_metrics_names_and_netns test_metrics_usage
pb_summary
