#!/usr/bin/env bash
# pktbpf read on crafted captures: link types, stdin and gzip, output shapes,
# and damaged input (each a clear exit-2 error, or a reported stop after
# which the packets read before the damage are still printed and counted).
# No root, no network: files only.
. "$(dirname "$0")/lib.sh"

GEN=$(mktemp -d)
trap 'rm -rf "$GEN"; pb_cleanup' EXIT
python3 "$PB_ROOT/tests/read/mkpcap.py" "$GEN" || { echo "mkpcap.py failed" >&2; exit 1; }

# rd ARGS...: run pktbpf read with a time bound (a hang is a failure);
# stdout in $GEN/out, stderr in $GEN/err, exit status in $rc.
rd() {
	rc=0
	timeout 20 "$PKTBPF" read "$@" >"$GEN/out" 2>"$GEN/err" || rc=$?
	[ "$rc" -lt 124 ] || pb_fail "pktbpf read $* died or hung (status $rc): $(cat "$GEN/err")"
}

expect_rc() { [ "$rc" -eq "$1" ] || pb_fail "exit status $rc, want $1; stderr: $(cat "$GEN/err")"; }
lines() { wc -l <"$GEN/out"; }
expect_lines() { [ "$(lines)" -eq "$1" ] || pb_fail "$(lines) lines on stdout, want $1"; }
expect_err() { grep -q -- "$1" "$GEN/err" || pb_fail "stderr lacks '$1': $(cat "$GEN/err")"; }
# jq-like probe of line N of the JSON output: jl N EXPR
jl() { sed -n "${1}p" "$GEN/out" | pb_json - "$2"; }

test_one_line_per_packet() {
	rd "$GEN/good.pcap"
	expect_rc 0
	expect_lines 5
	expect_err "good.pcap: 5 packets"
	grep -q 'IP 10.9.0.1.40000 > 10.9.0.2.80: TCP \[S\], length 54$' "$GEN/out" || pb_fail "TCP line: $(cat "$GEN/out")"
	grep -q 'IP 10.9.0.1.80 > 10.9.0.2.40000: TCP \[S.\], length 54$' "$GEN/out" || pb_fail "SYN+ACK line"
	grep -q 'ICMP echo request, length 46$' "$GEN/out" || pb_fail "ICMP line"
	grep -q 'ARP who-has 10.9.0.2 tell 10.9.0.1, length 42$' "$GEN/out" || pb_fail "ARP line"
	rd -c 2 "$GEN/good.pcap"
	expect_rc 0
	expect_lines 2
}

test_verbose_shows_fields_and_bytes() {
	rd -v "$GEN/good.pcap" -c 1
	expect_rc 0
	grep -q '^    ipv4 .*ttl 64, protocol 6' "$GEN/out" || pb_fail "-v lacks the IPv4 fields: $(cat "$GEN/out")"
	grep -q '^    tcp .*ports 40000 > 80.*flags 0x002 \[S\]' "$GEN/out" || pb_fail "-v lacks the TCP fields"
	rd -vv "$GEN/good.pcap" -c 1
	# The IPv4 header starts at byte 14 (0x000e) with 45 (version 4, IHL 5).
	grep -q '^    000e  45 00 00 28 .* ipv4: version 4' "$GEN/out" || pb_fail "-vv lacks the hex beside the IPv4 fields: $(cat "$GEN/out")"
}

test_link_types() {
	rd --json "$GEN/sll2.pcap"
	expect_rc 0
	[ "$(jl 1 'd["direction"], d["src"], d["dport"], d["tcp_flags"]')" = "('egress', '10.9.0.1', 443, '0x02')" ] ||
		pb_fail "sll2: $(cat "$GEN/out")"
	rd --json "$GEN/null.pcap"
	[ "$(jl 1 'd["src"], d["sport"], d["l4"]')" = "('10.9.0.1', 1000, 'udp')" ] || pb_fail "null v4: $(cat "$GEN/out")"
	[ "$(jl 2 'd["src"], d["dport"]')" = "('2001:db8:9::1', 4000)" ] || pb_fail "null v6 (big-endian family)"
	rd --json "$GEN/loop.pcap"
	[ "$(jl 1 'd["dst"], d["icmp_type"]')" = "('2001:db8:9::2', 128)" ] || pb_fail "loop: $(cat "$GEN/out")"
	rd --json "$GEN/raw.pcap"
	[ "$(jl 1 'd["l3_proto"], d["dport"]')" = "('0x0800', 53)" ] || pb_fail "raw v4: $(cat "$GEN/out")"
	[ "$(jl 2 'd["l3_proto"], d["dport"]')" = "('0x86dd', 22)" ] || pb_fail "raw v6"
	rd --json "$GEN/ipv6.pcap"
	[ "$(jl 1 'd["src"], d["ttl"], d["sport"]')" = "('2001:db8:9::1', 64, 5000)" ] || pb_fail "ipv6: $(cat "$GEN/out")"
}

test_unsupported_link_type() {
	rd "$GEN/wlan.pcap"
	expect_rc 2
	expect_err "wlan.pcap: link type IEEE802_11 (105) is not supported"
	expect_lines 0
}

test_stdin_gzip_pcapng_read_alike() {
	rd --json "$GEN/good.pcap"
	cp "$GEN/out" "$GEN/want"
	timeout 20 "$PKTBPF" read --json - <"$GEN/good.pcap" >"$GEN/out" 2>"$GEN/err" || pb_fail "stdin: $(cat "$GEN/err")"
	cmp -s "$GEN/want" "$GEN/out" || pb_fail "stdin reads differently"
	rd --json "$GEN/good.pcap.gz"
	cmp -s "$GEN/want" "$GEN/out" || pb_fail ".gz reads differently"
	timeout 20 "$PKTBPF" read --json - <"$GEN/good.pcap.gz" >"$GEN/out" 2>"$GEN/err" || pb_fail "gzip on stdin"
	cmp -s "$GEN/want" "$GEN/out" || pb_fail "gzip on stdin reads differently"
	# pcapng has microsecond stamps of whole seconds here: compare without time.
	rd --json "$GEN/good.pcapng"
	expect_rc 0
	[ "$(sed 's/"time":"[^"]*",//' "$GEN/out" | md5sum)" = \
	  "$(sed 's/"time":"[^"]*",//' "$GEN/want" | md5sum)" ] || pb_fail "pcapng decodes differently"
	rd --stats --json "$GEN/good.pcap.gz"
	[ "$(pb_json "$GEN/out" 'd["capture"]["compressed"], d["capture"]["packets"]')" = "(True, 5)" ] ||
		pb_fail "--stats on .gz: $(cat "$GEN/out")"
}

test_stats_counts_and_shape() {
	rd --stats --json "$GEN/good.pcap"
	expect_rc 0
	local f=$GEN/out
	# Same document shape as `pktbpf stats --json` per direction.
	[ "$(pb_json "$f" 'sorted(d["ingress"].keys())')" = \
	  "['bytes', 'capture_truncated', 'ethertype_table_full', 'ethertypes', 'filter_matched', 'ip_protocols', 'malformed', 'packets', 'protocols', 'tcp_flags']" ] ||
		pb_fail "ingress keys: $(pb_json "$f" 'sorted(d["ingress"].keys())')"
	# 5 frames of 54+54+47+46+42 bytes: 4 IPv4 (2 TCP, 1 UDP, 1 ICMP) and 1 ARP.
	[ "$(pb_json "$f" 'd["ingress"]["packets"], d["ingress"]["bytes"]')" = "(5, 243)" ] || pb_fail "totals"
	[ "$(pb_json "$f" '[d["ingress"]["protocols"][k]["packets"] for k in ("ipv4","tcp","udp","icmp","arp")]')" = \
	  "[4, 2, 1, 1, 1]" ] || pb_fail "protocols: $(cat "$f")"
	[ "$(pb_json "$f" 'd["ingress"]["tcp_flags"]["syn"], d["ingress"]["tcp_flags"]["ack"]')" = "(2, 1)" ] || pb_fail "flags"
	[ "$(pb_json "$f" 'd["egress"]["packets"]')" = 0 ] || pb_fail "no direction in the file: all ingress"
	[ "$(pb_json "$f" 'd["capture"]["first"], d["capture"]["duration_seconds"]')" = \
	  "('2023-11-14T22:13:20.000000000Z', 4.004)" ] || pb_fail "capture facts: $(pb_json "$f" 'd["capture"]')"
	rd --stats "$GEN/good.pcap"
	grep -q '^  tcp  *2  *108  *0  *0$' "$GEN/out" || pb_fail "text table: $(cat "$GEN/out")"
	grep -q '5 packets, 243 bytes on the wire' "$GEN/out" || pb_fail "text facts"
}

test_zero_length_file() {
	rd "$GEN/empty.pcap"
	expect_rc 2
	expect_err "empty.pcap: truncated dump file"
	expect_lines 0
}

test_not_a_capture() {
	rd "$GEN/text.pcap"
	expect_rc 2
	expect_err "text.pcap: unknown file format"
	rd "$GEN/no-such-file.pcap"
	expect_rc 2
	expect_err "cannot open: No such file"
}

test_truncated_record_stops_reported() {
	local f
	for f in trunc-data.pcap trunc-hdr.pcap trunc.pcapng; do
		rd "$GEN/$f"
		expect_rc 2
		expect_lines 3
		expect_err "$f: damaged after 3 packets: truncated"
	done
	rd --stats --json "$GEN/trunc-data.pcap"
	expect_rc 2
	[ "$(pb_json "$GEN/out" 'd["capture"]["packets"], d["ingress"]["packets"], "truncated" in d["capture"]["damaged"]')" = \
	  "(3, 3, True)" ] || pb_fail "--stats on a damaged file: $(cat "$GEN/out")"
}

test_caplen_over_256k_stops_reported() {
	rd "$GEN/over-256k.pcap"
	expect_rc 2
	expect_lines 2
	expect_err "damaged after 2 packets: invalid packet capture length 300000"
}

test_caplen_over_snaplen_is_cut_and_counted() {
	# libpcap (as tcpdump) keeps the first snaplen bytes of such a record.
	rd --json "$GEN/over-snaplen.pcap"
	expect_rc 0
	expect_lines 3
	[ "$(jl 2 'd["caplen"], d["len"]')" = "(64, 100)" ] || pb_fail "record 2: $(cat "$GEN/out")"
	rd --stats --json "$GEN/over-snaplen.pcap"
	[ "$(pb_json "$GEN/out" 'd["capture"]["cut_by_capture"], d["capture"]["packets"]')" = "(1, 3)" ] ||
		pb_fail "not counted: $(cat "$GEN/out")"
}

test_gzip_cut_short_stops_reported() {
	rd "$GEN/cut.pcap.gz"
	expect_rc 2
	expect_err "gzip stream cut short"
	[ "$(lines)" -ge 1 ] && [ "$(lines)" -le 5 ] || pb_fail "$(lines) packets before the cut"
	rc=0
	timeout 20 "$PKTBPF" read - <"$GEN/cut.pcap.gz" >"$GEN/out" 2>"$GEN/err" || rc=$?
	expect_rc 2
}

test_usage_errors() {
	rd
	expect_rc 2
	expect_err "which file"
	rd -c 0 "$GEN/good.pcap"
	expect_rc 2
	"$PKTBPF" read --help | grep -q "^Usage: pktbpf read FILE" || pb_fail "--help"
}

pb_run test_one_line_per_packet test_verbose_shows_fields_and_bytes test_link_types \
	test_unsupported_link_type test_stdin_gzip_pcapng_read_alike test_stats_counts_and_shape \
	test_zero_length_file test_not_a_capture test_truncated_record_stops_reported \
	test_caplen_over_256k_stops_reported test_caplen_over_snaplen_is_cut_and_counted \
	test_gzip_cut_short_stops_reported test_usage_errors
pb_summary
