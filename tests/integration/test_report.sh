#!/usr/bin/env bash
# pktbpf report: images of corpus captures in each format, of the size the
# layout gives, with the data behind each chart checked against
# `read --stats --json` of the same capture; a report sampled from a live
# attachment counts exactly the traffic sent during it; bad input is refused
# clearly and leaves no image behind.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/checks.sh"

CORPUS=${PB_CORPUS:-$PB_ROOT/../shared/corpus}/pcap
CHECK=("$PB_PYTHON" "$PB_ROOT/tests/viz/report_check.py")

# Captures of every kind: TCP only, ICMP with a 280-day span, GRE (other IP),
# IPv6 fragments, Linux cooked ARP, one raw IPv4 packet, VLAN-tagged ICMP,
# and a NULL scan (an alert).
FILES=(
	chrissanders__mail_receiver_server_3.pcapng tcpdump__icmpv6.pcap
	zeek__tunnels__gre-sample.pcap chrissanders__ipv6_fragments.pcapng
	zeek__linuxsll-arp.pcap tcpdump__LINKTYPE_RAW_ipv4.pcap zeek__icmp_dot1q.pcap
	chrissanders__activeosfingerprinting.pcapng
)

need_corpus() { [ -d "$CORPUS" ] || pb_fail "no corpus at $CORPUS"; }

# report_ok FILE FORMAT: report, image and data checked against read --stats.
report_ok() {
	local f=$CORPUS/$1 out=$PB_TMP/report.$2
	"$PKTBPF" report "$f" -o "$out" --data-json "$PB_TMP/data.json" 2>"$PB_TMP/err" ||
		pb_fail "report $1 -o $out failed: $(cat "$PB_TMP/err")"
	[ ! -s "$PB_TMP/err" ] || pb_fail "report $1 said: $(cat "$PB_TMP/err")"
	"$PKTBPF" read "$f" --stats --alerts --json >"$PB_TMP/stats.json" 2>/dev/null
	"$PKTBPF" read "$f" --flows --json >"$PB_TMP/flows.json" 2>/dev/null
	"${CHECK[@]}" "$out" "$PB_TMP/data.json" "$PB_TMP/stats.json" "$PB_TMP/flows.json" \
		>"$PB_TMP/problems" ||
		pb_fail "$1 ($2): $(cat "$PB_TMP/problems")"
}

test_report_corpus_every_format() {
	need_corpus
	local f fmt
	for f in "${FILES[@]}"; do
		for fmt in png svg pdf; do
			report_ok "$f" "$fmt"
		done
	done
}

# One capture spelled out: what the image holds, beyond self-consistency.
test_report_corpus_known_numbers() {
	need_corpus
	report_ok chrissanders__mail_receiver_server_3.pcapng png
	local d=$PB_TMP/data.json
	[ "$(pb_json "$d" "d['image']['width'], d['image']['height']")" = "(1200.0, 1392.0)" ] ||
		pb_fail "size: $(pb_json "$d" "d['image']")"
	[ "$(pb_json "$d" "[c['title'] for c in d['charts']]")" = "['Packets per second, by protocol', 'Bits per second, by protocol', 'Protocols (share of packets)', 'Top talkers (bytes sent)', 'Top flows (bytes, both ways)']" ] ||
		pb_fail "charts: $(pb_json "$d" "[c['title'] for c in d['charts']]")"
	# 54 TCP packets over 12.3 s, in 100 ms bins: one series.
	[ "$(pb_json "$d" "d['charts'][0]['series'], d['packets'], d['bin_seconds'], d['bins']")" = "(['tcp'], 54, 0.1, 124)" ] ||
		pb_fail "data: $(pb_json "$d" "d['charts'][0]['series'], d['packets'], d['bin_seconds'], d['bins']")"
	[ "$(pb_json "$d" "d['image']['title']")" = "pktbpf report: chrissanders__mail_receiver_server_3.pcapng" ] ||
		pb_fail "title: $(pb_json "$d" "d['image']['title']")"
	[ "$(pb_json "$d" "d['image']['subtitle']")" = "2015-12-29 19:13:51.614 to 19:14:03.918 UTC (12.3 s)   54 packets, 10.5 kB   bins of 100 ms" ] ||
		pb_fail "subtitle: $(pb_json "$d" "d['image']['subtitle']")"
	[ "$(pb_json "$d" "d['charts'][0]['x_ticks']")" = "['0 s', '2 s', '4 s', '6 s', '8 s', '10 s', '12 s']" ] ||
		pb_fail "time axis: $(pb_json "$d" "d['charts'][0]['x_ticks']")"
}

# Alerts over time: the NULL scan of the corpus, at its packet's time, and
# detector flags as read --alerts takes them.
test_report_alerts() {
	need_corpus
	local f=chrissanders__activeosfingerprinting.pcapng d=$PB_TMP/data.json
	report_ok "$f" svg
	[ "$(pb_json "$d" "d['alerts'], d['alerts_by_type'], d['image']['height']")" = "(1, {'tcp_bad_flags': 1}, 1636.0)" ] ||
		pb_fail "alerts: $(pb_json "$d" "d['alerts'], d['alerts_by_type'], d['image']")"
	# 21:43:30.662 in 10 ms bins from 21:43:30.030: bin 63.
	[ "$(pb_json "$d" "[c for c in d['charts'] if c['title'] == 'Alerts'][0]['values']['tcp_bad_flags'].index(1.0)")" = 63 ] ||
		pb_fail "the alert is not at its packet's time"
	"$PKTBPF" report "$CORPUS/$f" --detectors none -o "$PB_TMP/none.png" --data-json "$d" ||
		pb_fail "--detectors none failed"
	[ "$(pb_json "$d" "d['alerts'], 'Alerts' in [c['title'] for c in d['charts']]")" = "(0, False)" ] ||
		pb_fail "alerts with the detectors off"
	pb_expect 2 "detector flags are for a capture file" "$PKTBPF" report eth0 --detectors none \
		-o "$PB_TMP/x.png"
	pb_expect 2 "threshold" "$PKTBPF" report "$CORPUS/$f" --threshold bogus=1 -o "$PB_TMP/x.png"
}

# --filter: only what tcpdump's filter selects, as read --filter counts it.
test_report_filter() {
	need_corpus
	local f=$CORPUS/chrissanders__activeosfingerprinting.pcapng d=$PB_TMP/data.json
	"$PKTBPF" report "$f" --filter "udp or icmp" -o "$PB_TMP/f.png" --data-json "$d" ||
		pb_fail "report --filter failed"
	"$PKTBPF" read "$f" --filter "udp or icmp" --stats --alerts --json >"$PB_TMP/stats.json" 2>/dev/null
	"$PKTBPF" read "$f" --filter "udp or icmp" --flows --json >"$PB_TMP/flows.json" 2>/dev/null
	"${CHECK[@]}" "$PB_TMP/f.png" "$d" "$PB_TMP/stats.json" "$PB_TMP/flows.json" ||
		pb_fail "filtered report differs from read --filter"
	[ "$(pb_json "$d" "d['filter'], d['packets'], d['charts'][0]['series'], d['alerts']")" = "('udp or icmp', 8, ['udp', 'icmp'], 0)" ] ||
		pb_fail "filtered: $(pb_json "$d" "d['filter'], d['packets'], d['charts'][0]['series']")"
	pb_json "$d" "d['image']['subtitle']" | grep -q "filter: udp or icmp$" ||
		pb_fail "subtitle: $(pb_json "$d" "d['image']['subtitle']")"
	pb_expect 2 "^pktbpf: filter 'udp prt 53': .*syntax error" "$PKTBPF" report "$f" \
		--filter "udp prt 53" -o "$PB_TMP/bad.png"
	[ ! -e "$PB_TMP/bad.png" ] || pb_fail "an image was left after a bad filter"
	pb_expect 2 "--filter is for a capture file" "$PKTBPF" report eth0 --filter udp \
		-o "$PB_TMP/x.png"
}

# Standard input and gzip, as read takes them.
test_report_stdin_and_gzip() {
	need_corpus
	gzip -c "$CORPUS/zeek__icmp_dot1q.pcap" >"$PB_TMP/c.pcap.gz"
	"$PKTBPF" report - -o "$PB_TMP/in.svg" --data-json "$PB_TMP/data.json" <"$PB_TMP/c.pcap.gz" ||
		pb_fail "report from stdin failed"
	"$PKTBPF" read "$CORPUS/zeek__icmp_dot1q.pcap" --stats --json >"$PB_TMP/stats.json"
	"${CHECK[@]}" "$PB_TMP/in.svg" "$PB_TMP/data.json" "$PB_TMP/stats.json" ||
		pb_fail "stdin report differs"
}

test_report_damaged_capture() {
	need_corpus
	local f=$CORPUS/chrissanders__mail_receiver_server_3.pcapng
	head -c 6000 "$f" >"$PB_TMP/cut.pcapng"
	pb_expect 2 "cut.pcapng: damaged after [0-9]+ packets" "$PKTBPF" report "$PB_TMP/cut.pcapng" \
		-o "$PB_TMP/cut.png" --data-json "$PB_TMP/data.json"
	# The packets before the damage are in the report, which says so.
	"${CHECK[@]}" "$PB_TMP/cut.png" "$PB_TMP/data.json" || pb_fail "damaged report inconsistent"
	pb_json "$PB_TMP/data.json" "d['damaged']" | grep -q "^damaged after" ||
		pb_fail "no damage in the data"
	pb_json "$PB_TMP/data.json" "d['image']['subtitle']" | grep -q "damaged after" ||
		pb_fail "no damage in the subtitle"
	[ "$(pb_json "$PB_TMP/data.json" "d['packets'] > 0")" = True ] || pb_fail "nothing reported"
}

test_report_bad_usage() {
	need_corpus
	local f=$CORPUS/zeek__icmp_dot1q.pcap
	pb_expect 2 "which interface or capture file" "$PKTBPF" report -o "$PB_TMP/x.png"
	pb_expect 2 "where to\?" "$PKTBPF" report "$f"
	pb_expect 2 "must end in .png, .svg or .pdf" "$PKTBPF" report "$f" -o "$PB_TMP/x.jpg"
	pb_expect 2 "--duration is for an interface" "$PKTBPF" report "$f" --duration 3 -o "$PB_TMP/x.png"
	pb_expect 2 "duration: '0' is not a number" "$PKTBPF" report eth0 --duration 0 -o "$PB_TMP/x.png"
	pb_expect 2 "--netns means nothing to a capture file" "$PKTBPF" report "$f" --netns x -o "$PB_TMP/x.png"
	pb_expect 2 "no such capture file, nor an attached interface" "$PKTBPF" report \
		"${PB_PREFIX}nope" -o "$PB_TMP/x.png"
	pb_expect 2 "cannot write: No such file or directory" "$PKTBPF" report "$f" \
		-o "$PB_TMP/no/such/dir/x.png"
	# Not a capture: refused, and no empty image left behind.
	pb_expect 2 "README.md" "$PKTBPF" report "$PB_ROOT/README.md" -o "$PB_TMP/x.png"
	[ ! -e "$PB_TMP/x.png" ] || pb_fail "an image was left after a failure"
	pb_expect 0 "" "$PKTBPF" report --help
	grep -q "^Usage: pktbpf report (IFACE \[--duration S\] | FILE \[--filter EXPR\] \[DETECTOR FLAGS\])" "$PB_TMP/out" ||
		pb_fail "help: $(head -2 "$PB_TMP/out")"
}

# An attachment sampled for 5 s while exactly 8 pings go each way and one
# SYN+FIN segment arrives (a tcp_bad_flags alert in the kernel).
test_report_from_interface() {
	pb_need_root
	pb_net rep 102
	"$PKTBPF" attach "$PB_A" >/dev/null || pb_fail "attach failed"
	pb_ping 3 ping "$PB_B4" # before the report: not in it
	"$PKTBPF" -v report "$PB_A" --duration 5 -o "$PB_TMP/live.png" \
		--data-json "$PB_TMP/live.json" 2>"$PB_TMP/live.err" &
	local rp=$!
	pb_wait 5 grep -q "sampling for 5 s" "$PB_TMP/live.err"
	pb_ping 8 ping "$PB_B4"
	ip netns exec "$PB_NS" "$PB_ROOT/tools/frames.py" send "$PB_B" tcp4 --flags SF \
		--src4 "$PB_B4" --dst4 "$PB_A4" >/dev/null
	wait $rp || pb_fail "report failed: $(cat "$PB_TMP/live.err")"
	"${CHECK[@]}" "$PB_TMP/live.png" "$PB_TMP/live.json" || pb_fail "live report inconsistent"
	[ "$(pb_json "$PB_TMP/live.json" "d['kind'], d['source'], d['classes']['icmp']['packets'], d['classes']['tcp']['packets'], d['packets'], d['alerts_by_type']")" = "('interface', '$PB_A', 16, 1, 17, {'tcp_bad_flags': 1})" ] ||
		pb_fail "live data: $(pb_json "$PB_TMP/live.json" "d['kind'], d['source'], d['classes'], d['packets'], d['alerts_by_type']")"
	# The flows of the span only: the 3 pings before the report are not in
	# it. Echo requests and replies are 98 bytes (14 + 20 + 8 + 56).
	local tcp
	tcp=$(pb_json "$PB_TMP/live.json" "d['classes']['tcp']['bytes']")
	[ "$(pb_json "$PB_TMP/live.json" "[(f['flow'], f['packets'], f['bytes']) for f in d['top_flows']]")" = "[('icmp $PB_A4 ↔ $PB_B4', 16, 1568), ('tcp $PB_B4:40000 ↔ $PB_A4:9', 1, $tcp)]" ] ||
		pb_fail "live flows: $(pb_json "$PB_TMP/live.json" "d['top_flows']")"
	[ "$(pb_json "$PB_TMP/live.json" "[(t['address'], t['packets'], t['bytes']) for t in d['top_talkers']]")" = "[('$PB_B4', 9, $((784 + tcp))), ('$PB_A4', 8, 784)]" ] ||
		pb_fail "live talkers: $(pb_json "$PB_TMP/live.json" "d['top_talkers']")"
	# 5 s sampled in 100 ms bins (the first and last may be part bins).
	[ "$(pb_json "$PB_TMP/live.json" "4.9 < d['duration_seconds'] < 5.5 and 50 <= d['bins'] <= 51 and d['bin_seconds'] == 0.1")" = True ] ||
		pb_fail "span: $(pb_json "$PB_TMP/live.json" "d['duration_seconds'], d['bins'], d['bin_seconds']")"
	pb_json "$PB_TMP/live.json" "d['image']['title']" | grep -qx "pktbpf report: interface $PB_A" ||
		pb_fail "title: $(pb_json "$PB_TMP/live.json" "d['image']['title']")"
}

# Ctrl-C ends the sampling early and still writes the report.
test_report_interrupted_still_writes() {
	pb_need_root
	pb_net rei 103
	"$PKTBPF" attach "$PB_A" >/dev/null || pb_fail "attach failed"
	"$PKTBPF" -v report "$PB_A" --duration 600 -o "$PB_TMP/int.pdf" \
		--data-json "$PB_TMP/int.json" 2>"$PB_TMP/int.err" &
	local rp=$! rc=0
	pb_wait 5 grep -q "sampling for 600 s" "$PB_TMP/int.err"
	pb_ping 2 ping "$PB_B4"
	kill -INT $rp
	wait $rp || rc=$?
	[ $rc -eq 0 ] || pb_fail "interrupted report exited $rc: $(cat "$PB_TMP/int.err")"
	"${CHECK[@]}" "$PB_TMP/int.pdf" "$PB_TMP/int.json" || pb_fail "interrupted report inconsistent"
	[ "$(pb_json "$PB_TMP/int.json" "d['classes']['icmp']['packets'], d['duration_seconds'] < 60")" = "(4, True)" ] ||
		pb_fail "interrupted data: $(pb_json "$PB_TMP/int.json" "d['classes'], d['duration_seconds']")"
}

# attach --replace during the sampling (new maps, counting from zero): the
# report follows, and counts the traffic before and after it.
test_report_follows_replace() {
	pb_need_root
	pb_net rer 104
	"$PKTBPF" attach "$PB_A" >/dev/null || pb_fail "attach failed"
	"$PKTBPF" -v report "$PB_A" --duration 600 -o "$PB_TMP/rep.svg" \
		--data-json "$PB_TMP/rep.json" 2>"$PB_TMP/rep.err" &
	local rp=$!
	pb_wait 5 grep -q "sampling for 600 s" "$PB_TMP/rep.err"
	pb_ping 3 ping "$PB_B4"
	"$PKTBPF" attach "$PB_A" --replace >/dev/null || pb_fail "attach --replace failed"
	pb_wait 5 grep -q "following the new maps" "$PB_TMP/rep.err"
	pb_ping 4 ping "$PB_B4"
	kill -INT $rp # its last reading, at the signal, has them
	wait $rp || pb_fail "report failed: $(cat "$PB_TMP/rep.err")"
	"${CHECK[@]}" "$PB_TMP/rep.svg" "$PB_TMP/rep.json" || pb_fail "report inconsistent"
	[ "$(pb_json "$PB_TMP/rep.json" "d['classes']['icmp']['packets'], [(f['flow'], f['packets']) for f in d['top_flows']]")" = "(14, [('icmp $PB_A4 ↔ $PB_B4', 14)])" ] ||
		pb_fail "across the replacement: $(pb_json "$PB_TMP/rep.json" "d['classes'], d['top_flows']")"
}

pb_run test_report_corpus_every_format test_report_corpus_known_numbers \
	test_report_alerts test_report_filter test_report_stdin_and_gzip test_report_damaged_capture test_report_bad_usage \
	test_report_from_interface test_report_interrupted_still_writes test_report_follows_replace
pb_summary
