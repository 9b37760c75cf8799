#!/usr/bin/env bash
# Counting on a live link: a known number of packets of many kinds both ways
# through a veth pair, pktbpf attached to the root end; `stats --json` must
# count every one exactly, every packet must still arrive (passive), and
# detach must leave nothing behind.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/checks.sh"

FRAMES=("$PB_ROOT/tools/frames.py")

if [ "$(id -u)" -eq 0 ]; then
	pb_net cnt 41 || { echo "cannot build the test network" >&2; exit 1; }
fi
MARK=pbmark-$PB_PREFIX

# Raw frames, "KIND[:TCPFLAGS] COUNT [frames.py options]", per direction.
# Egress leaves the root end (tc), ingress arrives at it (XDP).
EGRESS_FRAMES=(
	"udp6 3" "tcp4:S 4" "tcp6:SA 2" "icmp6 2" "vlan-udp4 3" "qinq-udp4 2" "arp 2"
	"ipv4-frag-first 2" "ipv4-frag-later 2" "ipv6-frag-later 1" "ipv4-bad-ihl 2"
	"udp4-bad-length 1" "other 3"
)
INGRESS_FRAMES=(
	"udp4 4" "tcp4:FA 3" "tcp4:R 2" "tcp6:PAU 1" "icmp4 2" "udp6 2" "icmp6 3"
	"vlan-udp4 2" "qinq-udp4 1" "arp 3" "ipv4-frag-first 1" "ipv4-frag-later 3"
	"ipv6-frag-first 1" "ipv4-bad-ihl 1" "ipv4-bad-total-length 2"
	"tcp4-bad-data-offset 1" "other 2 --ethertype 0x88b6 --pad 40"
)

# frames_total LIST...: how many frames the list sends.
frames_total() {
	local n=0 e
	for e in "$@"; do set -- $e; n=$((n + $2)); done
	echo $n
}

# send_frames DIR LIST...: send them (from the namespace for ingress) and log
# what was sent, direction added, for frames.py expect.
send_frames() {
	local dir=$1 e kind flags n iface=$PB_A src4=$PB_A4 dst4=$PB_B4 run=()
	shift
	if [ "$dir" = ingress ]; then
		iface=$PB_B src4=$PB_B4 dst4=$PB_A4 run=(ip netns exec "$PB_NS")
	fi
	for e in "$@"; do
		set -- $e
		kind=${1%%:*} flags= n=$2
		[[ $1 == *:* ]] && flags=${1#*:}
		shift 2
		"${run[@]}" "${FRAMES[@]}" send "$iface" "$kind" -n "$n" --flags "$flags" \
			--marker "$MARK" --src4 "$src4" --dst4 "$dst4" "$@" |
			sed "s/^{/{\"dir\": \"$dir\", /" >>"$PB_TMP/sent.log"
	done
}

# log_real DIR KIND COUNT LEN: traffic that the kernel's sockets sent.
log_real() {
	printf '{"dir": "%s", "kind": "%s", "count": %d, "len": %d}\n' "$@" >>"$PB_TMP/sent.log"
}

attach() {
	"$PKTBPF" attach "$PB_A" >"$PB_TMP/attach.out" || pb_fail "attach failed"
	pb_ids "$PB_A"
	[ "$PB_TC_ID" -gt 0 ] || pb_fail "no egress program"
}

test_counts_every_packet_exactly_both_ways() {
	pb_need_root
	local n_eg n_in rx_eg rx_in udp_eg udp_in
	: >"$PB_TMP/sent.log"
	rm -f "$PB_TMP"/ready.*
	attach
	n_eg=$(frames_total "${EGRESS_FRAMES[@]}")
	n_in=$(frames_total "${INGRESS_FRAMES[@]}")

	# Receivers first: they prove every frame was delivered past pktbpf.
	ip netns exec "$PB_NS" "${FRAMES[@]}" recv "$PB_B" --marker "$MARK" -n "$n_eg" \
		--ready "$PB_TMP/ready.eg" >"$PB_TMP/rx.eg" &
	rx_eg=$!
	"${FRAMES[@]}" recv "$PB_A" --marker "$MARK" -n "$n_in" --ready "$PB_TMP/ready.in" \
		>"$PB_TMP/rx.in" &
	rx_in=$!
	ip netns exec "$PB_NS" "${FRAMES[@]}" udp-recv "$PB_B4" 5001 -n 5 \
		--ready "$PB_TMP/ready.ueg" >"$PB_TMP/udp.eg" &
	udp_eg=$!
	"${FRAMES[@]}" udp-recv "$PB_A4" 5002 -n 6 --ready "$PB_TMP/ready.uin" >"$PB_TMP/udp.in" &
	udp_in=$!
	pb_wait 10 test -e "$PB_TMP/ready.eg" -a -e "$PB_TMP/ready.in" -a -e "$PB_TMP/ready.ueg" \
		-a -e "$PB_TMP/ready.uin"

	# Real traffic through the kernel's stacks: echo requests and replies
	# (Ethernet 14 + IPv4 20 + ICMP 8 + 56 = 98 bytes), UDP datagrams.
	pb_ping 4 ping "$PB_B4"
	log_real egress icmp4 4 98
	log_real ingress icmp4 4 98
	pb_ping 3 ip netns exec "$PB_NS" ping "$PB_A4"
	log_real ingress icmp4 3 98
	log_real egress icmp4 3 98
	"${FRAMES[@]}" udp-send "$PB_B4" 5001 -n 5 --size 32 |
		sed 's/^{/{"dir": "egress", /' >>"$PB_TMP/sent.log"
	ip netns exec "$PB_NS" "${FRAMES[@]}" udp-send "$PB_A4" 5002 -n 6 --size 100 |
		sed 's/^{/{"dir": "ingress", /' >>"$PB_TMP/sent.log"

	# Crafted frames for what the stacks here do not send.
	send_frames egress "${EGRESS_FRAMES[@]}"
	send_frames ingress "${INGRESS_FRAMES[@]}"

	wait $rx_eg || pb_fail "egress: $(cat "$PB_TMP/rx.eg") of $n_eg frames delivered"
	wait $rx_in || pb_fail "ingress: $(cat "$PB_TMP/rx.in") of $n_in frames delivered"
	wait $udp_eg || pb_fail "egress: $(cat "$PB_TMP/udp.eg") of 5 UDP datagrams delivered"
	wait $udp_in || pb_fail "ingress: $(cat "$PB_TMP/udp.in") of 6 UDP datagrams delivered"

	"$PKTBPF" stats "$PB_A" --json >"$PB_TMP/stats.json" || pb_fail "stats --json failed"
	[ "$(pb_json "$PB_TMP/stats.json" "d['state']")" = attached ] || pb_fail "state is not attached"
	[ "$(pb_json "$PB_TMP/stats.json" "d['interface']")" = "$PB_A" ] || pb_fail "wrong interface"
	"${FRAMES[@]}" expect "$PB_TMP/sent.log" >"$PB_TMP/expected.json"
	"${FRAMES[@]}" compare "$PB_TMP/expected.json" "$PB_TMP/stats.json" ||
		pb_fail "stats --json differs from what was sent (above)"

	# The text table shows the same totals.
	"$PKTBPF" stats "$PB_A" >"$PB_TMP/stats.txt" || pb_fail "stats failed"
	grep -Eq "^  all +$(pb_json "$PB_TMP/stats.json" "d['ingress']['packets']") +[0-9]+ +$(pb_json "$PB_TMP/stats.json" "d['egress']['packets']") " "$PB_TMP/stats.txt" ||
		pb_fail "text table: wrong 'all' row: $(grep '^  all' "$PB_TMP/stats.txt")"

	"$PKTBPF" detach "$PB_A" >/dev/null || pb_fail "detach failed"
	pb_expect_nothing_left "$PB_A"
}

test_detach_leaves_nothing() {
	pb_need_root
	attach
	[ "$(wc -w <<<"$PB_LINK_IDS")" -eq 2 ] || pb_fail "expected 2 links, got '$PB_LINK_IDS'"
	[ "$(pb_hooks "$PB_A" | sort)" = "$(printf 'tcx_egress %s\nxdp %s' "$PB_TC_ID" "$PB_XDP_ID")" ] ||
		pb_fail "hooks of $PB_A: $(pb_hooks "$PB_A")"
	pb_ping 2 ping "$PB_B4"

	"$PKTBPF" detach "$PB_A" >"$PB_TMP/detach.out" || pb_fail "detach failed"
	grep -qx "detached from $PB_A" "$PB_TMP/detach.out" || pb_fail "detach said: $(cat "$PB_TMP/detach.out")"
	pb_expect_nothing_left "$PB_A"
	! ip link show "$PB_A" | grep -q xdp || pb_fail "XDP remains on $PB_A"
	"$PKTBPF" status | grep -q "not attached to any interface" || pb_fail "status still lists it"
	# Still passive after detach: traffic flows.
	pb_ping 2 ping "$PB_B4"
}

test_stats_interval_prints_rates() {
	pb_need_root
	local lines
	attach
	"$PKTBPF" stats "$PB_A" --interval 0.2 --count 3 >"$PB_TMP/rates.txt" || pb_fail "stats --interval failed"
	head -n1 "$PB_TMP/rates.txt" | grep -q "in pkt/s" || pb_fail "no header: $(head -n1 "$PB_TMP/rates.txt")"
	lines=$(tail -n +2 "$PB_TMP/rates.txt" | grep -Ec '^[0-9:]{8} +[0-9.]+ +[0-9]+ +[0-9.]+ +[0-9]+ +[0-9.]+$')
	[ "$lines" -eq 3 ] && [ "$(wc -l <"$PB_TMP/rates.txt")" -eq 4 ] ||
		pb_fail "expected a header and 3 rate lines: $(cat "$PB_TMP/rates.txt")"

	"$PKTBPF" stats "$PB_A" --interval 0.2 --count 3 --json >"$PB_TMP/rates.json" ||
		pb_fail "stats --interval --json failed"
	[ "$(wc -l <"$PB_TMP/rates.json")" -eq 3 ] || pb_fail "expected 3 JSON lines: $(cat "$PB_TMP/rates.json")"
	while read -r line; do
		pb_json - "(d['interface'] == '$PB_A' and 0.1 < d['interval_seconds'] < 5 and
			all(d[k]['packets_per_second'] >= 0 and 'bits_per_second' in d[k] and
			    'malformed_per_second' in d[k] for k in ('ingress', 'egress')))" <<<"$line" |
			grep -qx True || pb_fail "bad rate line: $line"
	done <"$PB_TMP/rates.json"
}

pb_run test_counts_every_packet_exactly_both_ways test_detach_leaves_nothing \
	test_stats_interval_prints_rates
pb_summary
