#!/usr/bin/env bash
# pktbpf serve under attack (issue 22), on loopback only: a slowloris of 500
# connections from 249 source addresses (127.0.0.2-250), each trickling one
# header byte a second, and a burst of 10,000 connections, while a normal
# client scrapes /metrics once a second (tools/bench/serve_attack.py). At
# least 99% of the scrapes must be answered within 1 s, serve's peak RSS
# must stay under 64 MiB, and once the attack ends every connection it left
# must be closed and the server still answer.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/serve_lib.sh"

ATTACK=$PB_ROOT/tools/bench/serve_attack.py
ATTACK_SECONDS=${PB_ATTACK_SECONDS:-35}
RSS_LIMIT_KIB=$((64 * 1024))

fd_count() { ls /proc/"$PB_SERVE_PID"/fd | wc -l; }

# attack_round MODE: the attack with the burst held (hold) or closed at once.
attack_round() {
	local mode=$1 dir=$2 fds0
	fds0=$(fd_count)
	"$PB_PYTHON" "$ATTACK" --port "$PB_SERVE_PORT" --pid "$PB_SERVE_PID" \
		--seconds "$ATTACK_SECONDS" --burst-mode "$mode" >"$dir/$mode.json"
	cat "$dir/$mode.json"
	pb_json "$dir/$mode.json" '"burst %s: %d of %d scrapes answered within 1 s (%.1f%%), latency median %s ms, p99 %s ms, max %s ms; RSS %d KiB before, peak %d KiB" % (d["attack"]["burst_mode"], d["answered"], d["scrapes"], 100 * d["share"], d["latency_ms"]["median"], d["latency_ms"]["p99"], d["latency_ms"]["max"], d["rss_kib"]["before"], d["rss_kib"]["peak"])'
	# the attack was on: every slow connection and most of the burst opened
	pb_json "$dir/$mode.json" 'd["attack"]["slow_connects"] >= d["attack"]["slow"] and d["attack"]["burst_opened"] >= 9000' | grep -q True ||
		pb_fail "the attack did not run as meant"
	pb_json "$dir/$mode.json" 'd["share"] >= 0.99' | grep -q True ||
		pb_fail "fewer than 99% of the scrapes were answered within 1 s"
	pb_json "$dir/$mode.json" "d['rss_kib']['peak'] < $RSS_LIMIT_KIB" | grep -q True ||
		pb_fail "serve's peak RSS is not under $RSS_LIMIT_KIB KiB"
	# what the attack left is closed by the server's deadline
	pb_wait 30 bash -c "[ \$(ls /proc/$PB_SERVE_PID/fd | wc -l) -le $fds0 ]"
	curl -sf --max-time 5 -o /dev/null "$PB_SERVE_URL"
}

test_serve_slowloris_and_burst() {
	local dir
	pb_need_root
	trap pb_test_cleanup EXIT
	dir=$(mktemp -d)
	_pb_files+=("$dir")
	pb_net k 96
	"$PKTBPF" attach "$PB_A" >/dev/null
	ping -c 3 -i 0.05 -q "$PB_B4" >/dev/null
	pb_serve_start
	attack_round hold "$dir"
	pb_serve_stop TERM
}

pb_run test_serve_slowloris_and_burst
pb_summary
