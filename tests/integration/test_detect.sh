#!/usr/bin/env bash
# Detectors on a live link, against real tools: nmap SYN, connect and UDP scans,
# hping3 SYN/ICMP/UDP floods (bounded by -c and a timeout), arping claiming an
# address from a second MAC, and a deny policy. The scanner/flooder is the
# namespace end (10.81.0.2); pktbpf is attached to the root end (10.81.0.1).
# Alerts are read with `pktbpf alerts --json`, counts with `pktbpf stats`.
. "$(dirname "$0")/lib.sh"

TOOLS_MISSING=
for t in nmap hping3 arping; do
	command -v "$t" >/dev/null || TOOLS_MISSING="$TOOLS_MISSING $t"
done
PB_TMP=$(mktemp -d)
ALERTS_PID=

# Each test builds its network (removed when the test ends).
net() {
	pb_need_root
	pb_net det 81
}

need() {
	[ -z "$TOOLS_MISSING" ] || pb_skip "not installed:$TOOLS_MISSING (tools/deps.sh installs them)"
	net
}

no_xdp() { ! ip link show "$PB_A" | grep -q ' xdp'; }

# The previous test's detach drops the last reference to its XDP link, and
# the kernel may release the link a moment later: wait for that (bounded).
attach() {
	pb_wait 5 no_xdp
	"$PKTBPF" attach "$PB_A" "$@" >/dev/null
}

# Attach with the given detector flags and stream alerts to $PB_TMP/alerts.json.
attach_and_listen() {
	attach "$@"
	: >"$PB_TMP/alerts.json"
	timeout 120 "$PKTBPF" alerts "$PB_A" --json >"$PB_TMP/alerts.json" 2>"$PB_TMP/alerts.err" &
	ALERTS_PID=$!
}

stop_listening() {
	[ -n "$ALERTS_PID" ] && kill "$ALERTS_PID" 2>/dev/null
	wait "$ALERTS_PID" 2>/dev/null || true # killed: 143
	ALERTS_PID=
}

# has_alert TYPE SOURCE_IP [PYTHON CONDITION on a]: such an alert was streamed.
has_alert() {
	python3 - "$PB_TMP/alerts.json" "$1" "$2" "${3:-True}" <<'EOF'
import json, sys
path, typ, src, cond = sys.argv[1:]
for line in open(path):
    try:
        a = json.loads(line)
    except ValueError:
        continue
    if a["type"] == typ and a["source_ip"] == src and eval(cond):
        sys.exit(0)
sys.exit(1)
EOF
}

# expect_alert TYPE SOURCE_IP [CONDITION]: wait (bounded) for it, then stop listening.
expect_alert() {
	if ! pb_wait 10 has_alert "$@"; then
		echo "alerts seen:" >&2
		cat "$PB_TMP/alerts.json" "$PB_TMP/alerts.err" >&2
		stop_listening
		return 1
	fi
	stop_listening
}

in_ns() { ip netns exec "$PB_NS" timeout 60 "$@"; }

test_nmap_syn_scan() {
	need
	attach_and_listen
	in_ns nmap -n -Pn -sS -T4 --max-retries 0 -p 1-300 "$PB_A4" >/dev/null
	expect_alert port_scan "$PB_B4" 'a["target_ip"] == "'"$PB_A4"'" and a["observed"] > 15'
}

test_nmap_connect_scan() {
	need
	attach_and_listen
	in_ns nmap -n -Pn -sT -T4 --max-retries 0 -p 1-300 "$PB_A4" >/dev/null
	expect_alert port_scan "$PB_B4" 'a["threshold"] == 15 and a["protocol"] == "tcp"'
}

# nmap's UDP scan from the root end: the namespace end's closed ports answer
# port unreachable (its ICMP rate limit off: a per-namespace setting), which
# the XDP program sees coming back.
test_nmap_udp_scan() {
	need
	ip netns exec "$PB_NS" sysctl -qw net.ipv4.icmp_ratelimit=0
	attach_and_listen
	timeout 60 nmap -n -Pn -sU -T4 --max-retries 0 -p 1-40 "$PB_B4" >/dev/null
	expect_alert port_scan "$PB_A4" 'a["target_ip"] == "'"$PB_B4"'" and a["protocol"] == "udp" and a["observed"] > 15'
}

# Thresholds of 100 a second: the test must not depend on how fast a shared
# machine lets hping3 send (600 packets at up to 2000/s).
FLOOD_FLAGS=(--threshold syn_flood=100 --threshold icmp_flood=100 --threshold udp_flood=100)

test_hping3_syn_flood() {
	need
	attach_and_listen "${FLOOD_FLAGS[@]}"
	in_ns hping3 -q -S -p 80 -c 600 -i u500 "$PB_A4" >/dev/null 2>&1 || true
	expect_alert syn_flood "$PB_B4" 'a["scope"] == "source" and a["observed"] == 101'
}

test_hping3_icmp_flood() {
	need
	attach_and_listen "${FLOOD_FLAGS[@]}"
	in_ns hping3 -q -1 -c 600 -i u500 "$PB_A4" >/dev/null 2>&1 || true
	expect_alert icmp_flood "$PB_B4" 'a["protocol"] == "icmp" and a["target_ip"] == "'"$PB_A4"'"'
	# the victim's echo replies answer the flood: it is not named a flooder
	! has_alert icmp_flood "$PB_A4" || pb_fail "the victim was named an ICMP flooder"
}

test_hping3_udp_flood() {
	need
	attach_and_listen "${FLOOD_FLAGS[@]}"
	in_ns hping3 -q -2 -p 9 -c 600 -i u500 "$PB_A4" >/dev/null 2>&1 || true
	expect_alert udp_flood "$PB_B4" 'a["target_port"] == 9'
}

test_arping_spoof() {
	need
	attach_and_listen
	# the genuine binding first, then the same address from another MAC
	in_ns arping -q -c 1 -w 1 -i "$PB_B" "$PB_A4" >/dev/null || true
	in_ns arping -q -c 1 -w 1 -p -i "$PB_B" -s 02:00:00:00:81:99 -S "$PB_B4" "$PB_A4" \
		>/dev/null || true
	expect_alert arp_spoof "$PB_B4" \
		'a["source_mac"] == "02:00:00:00:81:99" and a["learned_mac"] == "'"$PB_MAC_B"'"'
}

test_denied_access() {
	need
	attach_and_listen --deny 'tcp dst port 23 or udp port 161'
	in_ns hping3 -q -S -p 22 -c 2 -i u10000 "$PB_A4" >/dev/null 2>&1 || true
	in_ns hping3 -q -S -p 23 -c 3 -i u10000 "$PB_A4" >/dev/null 2>&1 || true
	expect_alert denied_access "$PB_B4" \
		'a["target_port"] == 23 and a["rule"] == "tcp dst port 23"'
	# port 22 is allowed; three packets to 23 are one alert and two repeats
	[ "$(grep -c denied_access "$PB_TMP/alerts.json")" -eq 1 ] ||
		pb_fail "want one denied_access alert: $(cat "$PB_TMP/alerts.json")"
	"$PKTBPF" stats "$PB_A" --json >"$PB_TMP/stats.json"
	[ "$(pb_json "$PB_TMP/stats.json" 'd["alerts"]["denied_access"]["suppressed"]')" = 2 ] ||
		pb_fail "want 2 suppressed: $(pb_json "$PB_TMP/stats.json" 'd["alerts"]')"
}

# `alerts -c N` ends by itself after N alerts; text lines name the interface.
test_alerts_count_ends_stream() {
	need
	attach
	in_ns nmap -n -Pn -sS -T4 --max-retries 0 -p 1-100 "$PB_A4" >/dev/null
	timeout 10 "$PKTBPF" alerts "$PB_A" -c 1 >"$PB_TMP/one.txt"
	[ "$(wc -l <"$PB_TMP/one.txt")" -eq 1 ] || pb_fail "want one line: $(cat "$PB_TMP/one.txt")"
	grep -q " $PB_A port_scan: $PB_B4 tried " "$PB_TMP/one.txt" ||
		pb_fail "unexpected line: $(cat "$PB_TMP/one.txt")"
}

test_stats_show_alert_counts() {
	need
	attach
	in_ns nmap -n -Pn -sS -T4 --max-retries 0 -p 1-100 "$PB_A4" >/dev/null
	"$PKTBPF" stats "$PB_A" --json >"$PB_TMP/stats.json"
	pb_json "$PB_TMP/stats.json" 'd["alerts"]["port_scan"]["raised"]' | grep -qx 1
	pb_json "$PB_TMP/stats.json" 'd["alerts"]["port_scan"]["suppressed"] > 0' | grep -qx True
	pb_json "$PB_TMP/stats.json" 'd["detector_state"]["scans"]["entries"]' | grep -qx 1
	pb_json "$PB_TMP/stats.json" 'd["detector_state"]["hosts"]["capacity"]' | grep -qx 16384
	"$PKTBPF" stats "$PB_A" | grep -Eq '^  port_scan +1 +[1-9]'
	"$PKTBPF" metrics "$PB_A" >"$PB_TMP/metrics.txt"
	grep -qx "pktbpf_alerts_total{device=\"$PB_A\",type=\"port_scan\"} 1" "$PB_TMP/metrics.txt" ||
		pb_fail "metrics: $(grep alerts_total "$PB_TMP/metrics.txt")"
	grep -qx "pktbpf_detector_state_entries{device=\"$PB_A\",table=\"scans\"} 1" "$PB_TMP/metrics.txt"
}

test_bad_config_is_usage_error() {
	net
	local rc=0
	printf '[port_scan]\nthreshold = 15\n\n[syn_flood]\nwindow = -2s\n' >"$PB_TMP/bad.ini"
	"$PKTBPF" attach "$PB_A" --config "$PB_TMP/bad.ini" 2>"$PB_TMP/err" || rc=$?
	[ $rc -eq 2 ] || pb_fail "exit $rc, want 2"
	grep -q "^pktbpf: $PB_TMP/bad.ini:5: \[syn_flood\] window: '-2s' is negative" "$PB_TMP/err" ||
		pb_fail "unexpected error: $(cat "$PB_TMP/err")"
	# nothing was attached
	rc=0
	"$PKTBPF" stats "$PB_A" >/dev/null 2>&1 || rc=$?
	[ $rc -eq 2 ] || pb_fail "stats after a refused attach: exit $rc, want 2 (not attached)"
}

test_alerts_usage() {
	net
	local rc=0
	"$PKTBPF" alerts --help | grep -q "port_scan"
	"$PKTBPF" alerts "$PB_A" 2>/dev/null || rc=$?
	[ $rc -eq 2 ] || pb_fail "alerts on an unattached interface: exit $rc, want 2"
	rc=0
	"$PKTBPF" alerts "$PB_A" -c 0 2>/dev/null || rc=$?
	[ $rc -eq 2 ] || pb_fail "alerts -c 0: exit $rc, want 2"
}

pb_run test_nmap_syn_scan test_nmap_connect_scan test_nmap_udp_scan test_hping3_syn_flood test_hping3_icmp_flood \
	test_hping3_udp_flood test_arping_spoof test_denied_access test_alerts_count_ends_stream \
	test_stats_show_alert_counts test_bad_config_is_usage_error test_alerts_usage
rm -rf "$PB_TMP"
pb_summary
