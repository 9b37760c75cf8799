#!/usr/bin/env bash
# Nothing lost silently on output, valid JSON and Prometheus whatever the
# bytes (issue 22, items 3 and 4):
#   - every command that prints, its output on /dev/full, exits 1 saying
#     "pktbpf: write error: No space left on device"; the streaming ones stop
#     at the first write error instead of running on
#   - a reader that closes the pipe (watch | head -n1) ends watch promptly,
#     quietly, with its normal status 0
#   - a capture file and an interface named with bytes that are not UTF-8
#     give JSON documents Python reads and an exposition promtool accepts,
#     each such byte written as the text \xNN
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/checks.sh"
. "$(dirname "$0")/serve_lib.sh"

FULL_MSG='^pktbpf: write error: No space left on device$'

# full CMD...: CMD with its stdout on /dev/full exits 1 with the message.
full() {
	local rc=0
	"$@" >/dev/full 2>"$PB_TMP/full.err" || rc=$?
	[ "$rc" -eq 1 ] || { pb_fail "'$*' >/dev/full exited $rc, not 1: $(cat "$PB_TMP/full.err")"; return 1; }
	grep -qE "$FULL_MSG" "$PB_TMP/full.err" ||
		{ pb_fail "'$*' >/dev/full: no write error message: $(cat "$PB_TMP/full.err")"; return 1; }
}

# Pings from the namespace end, in the background, until the test ends.
ping_on() {
	ip netns exec "$PB_NS" ping -q -i 0.02 "$1" >/dev/null 2>&1 &
	pb_bg_track $!
}

test_full_disk_every_command() {
	local dir c
	pb_need_root
	trap pb_test_cleanup EXIT
	dir=$(mktemp -d) && _pb_files+=("$dir")
	"$PB_PYTHON" "$PB_ROOT/tests/read/mkpcap.py" "$dir" >/dev/null
	pb_net o 111
	"$PKTBPF" attach "$PB_A" --sample 1 --filter icmp --deny icmp >/dev/null
	ping -c 3 -i 0.05 -q "$PB_B4" >/dev/null
	ip netns exec "$PB_NS" ping -c 1 -q "$PB_A4" >/dev/null # a denied_access alert
	full "$PKTBPF" --help
	full "$PKTBPF" --version
	for c in attach detach status stats read flows watch metrics serve filter alerts top report; do
		full "$PKTBPF" "$c" --help
	done
	full "$PKTBPF" status
	full "$PKTBPF" status --json
	full "$PKTBPF" stats "$PB_A"
	full "$PKTBPF" stats "$PB_A" --json
	full "$PKTBPF" stats "$PB_A" --interval 0.2 --count 2
	full "$PKTBPF" stats "$PB_A" --interval 0.2 --count 2 --json
	full "$PKTBPF" flows "$PB_A"
	full "$PKTBPF" flows "$PB_A" --json
	full "$PKTBPF" filter "$PB_A"
	full "$PKTBPF" filter "$PB_A" --json
	full "$PKTBPF" metrics
	full "$PKTBPF" metrics "$PB_A"
	full timeout 10 "$PKTBPF" alerts "$PB_A" -c 1
	for c in "" --json --stats "--stats --json" --flows "--flows --json" "--alerts --deny icmp" \
		"--alerts --json --deny icmp"; do
		# shellcheck disable=SC2086 # the flags are words
		full "$PKTBPF" read "$dir/good.pcap" $c
	done
	full "$PKTBPF" report "$dir/good.pcap" -o "$dir/r.png" --data-json -
	ping_on "$PB_A4"
	full timeout 20 "$PKTBPF" watch "$PB_A" -c 5
	full timeout 20 "$PKTBPF" watch "$PB_A" -c 5 --json
}

# The streaming commands stop at the first write error: without a count they
# would run until the timeout (exit 124) if they carried on.
test_full_disk_streams_stop() {
	pb_need_root
	trap pb_test_cleanup EXIT
	pb_net p 112
	"$PKTBPF" attach "$PB_A" --sample 1 >/dev/null
	ping_on "$PB_A4"
	full timeout 20 "$PKTBPF" watch "$PB_A"
	full timeout 20 "$PKTBPF" stats "$PB_A" --interval 0.1
	full timeout 20 "$PKTBPF" stats "$PB_A" --interval 0.1 --json
}

# A reader that has seen enough closes the pipe: watch ends at once, no
# crash (SIGPIPE), no message, status 0.
test_watch_into_head_ends() {
	local start rc line
	pb_need_root
	trap pb_test_cleanup EXIT
	pb_net h 113
	"$PKTBPF" attach "$PB_A" --sample 1 >/dev/null
	ping_on "$PB_A4"
	start=$SECONDS
	line=$(timeout 20 "$PKTBPF" watch "$PB_A" 2>"$PB_TMP/watch.err" | head -n1; echo "rc=${PIPESTATUS[0]}")
	rc=${line##*rc=}
	[ $((SECONDS - start)) -lt 15 ] || pb_fail "watch | head -n1 took $((SECONDS - start)) s"
	[ "$rc" = 0 ] || pb_fail "watch | head -n1: watch exited $rc, not 0: $(cat "$PB_TMP/watch.err")"
	grep -q "ICMP" <<<"$line" || pb_fail "head saw no packet line: $line"
	! grep -qiE "error|broken pipe" "$PB_TMP/watch.err" ||
		pb_fail "watch | head -n1 complained: $(cat "$PB_TMP/watch.err")"
}

# json_ok FILE EXPR: FILE is one JSON document (Python reads it) and EXPR on it is True.
json_ok() {
	"$PB_PYTHON" - "$@" <<'PY' || pb_fail "$1: not valid JSON, or not '$2': $(head -c 300 "$1")"
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
assert eval(sys.argv[2]), sys.argv[2]
PY
}

# json_lines_ok FILE EXPR: every line of FILE a JSON object (at least one), EXPR True on each.
json_lines_ok() {
	"$PB_PYTHON" - "$@" <<'PY' || pb_fail "$1: not JSON lines, or not '$2': $(head -c 300 "$1")"
import json, sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
assert lines, "no lines"
for line in lines:
    d = json.loads(line)
    assert eval(sys.argv[2]), sys.argv[2]
PY
}

test_non_utf8_file_name() {
	local dir f
	dir=$(mktemp -d) && _pb_files+=("$dir")
	"$PB_PYTHON" "$PB_ROOT/tests/read/mkpcap.py" "$dir" >/dev/null
	f=$dir/$'\xff\xfe.pcap'
	cp "$dir/good.pcap" "$f"
	"$PKTBPF" read "$f" --stats --json >"$dir/stats.json"
	json_ok "$dir/stats.json" 'd["capture"]["file"].endswith("/\\xff\\xfe.pcap") and d["capture"]["packets"] == 5'
	"$PKTBPF" read "$f" --json >"$dir/pkts.json"
	json_lines_ok "$dir/pkts.json" '"number" in d or len(d) > 0'
	"$PKTBPF" read "$f" --flows --json >"$dir/flows.json"
	json_ok "$dir/flows.json" 'd["file"].endswith("/\\xff\\xfe.pcap")'
	"$PKTBPF" report "$f" -o "$dir/r.svg" --data-json "$dir/report.json" 2>"$PB_TMP/err" ||
		pb_fail "report: $(cat "$PB_TMP/err")"
	json_ok "$dir/report.json" 'd["source"].endswith("/\\xff\\xfe.pcap")'
}

test_non_utf8_interface_name() {
	local dir ifc=${PB_PREFIX}x$'\xff' peer=${PB_PREFIX}xp ns=${PB_PREFIX}x esc
	pb_need_root
	trap pb_test_cleanup EXIT
	dir=$(mktemp -d) && _pb_files+=("$dir")
	esc=${PB_PREFIX}'x\xff'
	ip netns add "$ns" && _pb_netns+=("$ns")
	ip link add "$ifc" type veth peer name "$peer" && _pb_links+=("$ifc")
	ip link set "$peer" netns "$ns"
	sysctl -qw net.ipv6.conf."$ifc".disable_ipv6=1 2>/dev/null || true
	ip addr add 10.114.0.1/24 dev "$ifc"
	ip -n "$ns" addr add 10.114.0.2/24 dev "$peer"
	ip link set "$ifc" up
	ip -n "$ns" link set "$peer" up
	ip -n "$ns" link set lo up
	"$PKTBPF" attach "$ifc" --filter icmp --deny icmp >/dev/null
	ping -c 2 -i 0.05 -q 10.114.0.2 >/dev/null
	ip netns exec "$ns" ping -c 1 -q 10.114.0.1 >/dev/null # a denied_access alert
	"$PKTBPF" status --json >"$dir/status.json"
	json_ok "$dir/status.json" "r'$esc' in [a['interface'] for a in d['attachments']]"
	"$PKTBPF" stats "$ifc" --json >"$dir/stats.json"
	json_ok "$dir/stats.json" "d['interface'] == r'$esc' and d['filter'] == 'icmp'"
	"$PKTBPF" stats "$ifc" --json --interval 0.1 --count 1 >"$dir/rates.json"
	json_lines_ok "$dir/rates.json" "d['interface'] == r'$esc'"
	"$PKTBPF" flows "$ifc" --json >"$dir/flows.json"
	json_ok "$dir/flows.json" "d['interface'] == r'$esc' and len(d['flows']) > 0"
	"$PKTBPF" filter "$ifc" --json >"$dir/filter.json"
	json_ok "$dir/filter.json" "d['interface'] == r'$esc'"
	timeout 10 "$PKTBPF" alerts "$ifc" --json -c 1 >"$dir/alerts.json"
	json_lines_ok "$dir/alerts.json" "d['interface'] == r'$esc' and d['type'] == 'denied_access'"
	"$PKTBPF" report "$ifc" --duration 0.3 -o "$dir/r.svg" --data-json "$dir/report.json" \
		2>"$PB_TMP/err" || pb_fail "report: $(cat "$PB_TMP/err")"
	json_ok "$dir/report.json" "d['source'] == r'$esc'"
	"$PKTBPF" metrics >"$dir/all.prom"
	promtool check metrics <"$dir/all.prom" >"$PB_TMP/promtool" 2>&1 ||
		pb_fail "promtool check metrics: $(cat "$PB_TMP/promtool")"
	grep -qF "{device=\"${PB_PREFIX}x\\\\xff\"" "$dir/all.prom" ||
		pb_fail "no escaped device label: $(grep -a attached_info "$dir/all.prom")"
	# Text output prints the name as it is.
	"$PKTBPF" status | grep -qF "$ifc" || pb_fail "status does not name $ifc as it is"
}

pb_run test_full_disk_every_command test_full_disk_streams_stop test_watch_into_head_ends \
	test_non_utf8_file_name test_non_utf8_interface_name
pb_summary
